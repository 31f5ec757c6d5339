"""The sensitive changes the issue names are recorded, each by the service that makes it,
and nothing from a private note ever reaches the trail."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from feedback import services as checkin_services
from feedback.meetings import services as meeting_services
from perfmgmt.api import services as credential_services
from perfmgmt.api.models import Scope
from perfmgmt.audit.actions import LABELS
from perfmgmt.audit.models import AuditEntry
from perfmgmt.tenancy import services as people_services
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Role
from reviews.models import PRIVATE_AUTHOR_KINDS, CalibrationPlacement, Review
from reviews.selectors.writing import snapshot_questions
from reviews.services import calibration as calibration_services
from reviews.services.writing import AnswerInput, review_save, review_submit
from tests.audit.helpers import record
from tests.conftest import OrgPeople, login
from tests.feedback.factories import make_checkin
from tests.feedback.meetings.factories import make_action_item, make_meeting, make_series
from tests.goals.factories import agree_goal, create_goal
from tests.reviews.calibration_helpers import calibration_cycle, open_session
from tests.reviews.factories import running_cycle

pytestmark = pytest.mark.django_db

PRIVATE = "PRIVATE-NOTE-7f3a: worried about Rita's health"


def _actions(org: OrgPeople) -> list[str]:
    with organization_scope(org.organization):
        return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


def _role_change(org: OrgPeople) -> None:
    people_services.member_update(actor=org.owner, member=org.colleague, role=Role.HR_ADMIN)


def _manager_change(org: OrgPeople) -> None:
    people_services.member_update(actor=org.owner, member=org.colleague, manager=org.manager)


def _api_key_created_and_revoked(org: OrgPeople) -> None:
    credential, _key = credential_services.credential_create(
        actor=org.owner, name="HRIS", scopes=[Scope.MEMBERS_READ]
    )
    credential_services.credential_revoke(actor=org.owner, credential=credential)


def _goal_agreed(org: OrgPeople) -> None:
    agree_goal(org.manager, create_goal(org.report))


def _review_submitted(org: OrgPeople) -> None:
    running_cycle(org, [org.report])
    review = Review.objects.get(author=org.report, kind="self")
    data = review.participant.snapshot.data
    prompts = {question["prompt"]: question["id"] for _s, question in snapshot_questions(data)}
    overall = prompts["How did the period go overall?"]
    review = review_save(
        actor=org.report, review=review, version=0, answers=[AnswerInput(overall, rating="4")]
    )
    review_submit(actor=org.report, review=review, version=review.version)


def _rating_adjusted_in_calibration(org: OrgPeople) -> None:
    cycle = calibration_cycle(org, [org.report])
    session = open_session(org, cycle, managers=[org.manager])
    placement = CalibrationPlacement.objects.select_related("participant", "session").get(
        session=session, participant__reviewee=org.report
    )
    calibration_services.placement_adjust(
        actor=org.owner,
        placement=placement,
        change=calibration_services.PlacementChange(rating="3", potential=2),
        reason="Compared with the peers",
    )


def _one_on_one(org: OrgPeople) -> None:
    series = make_series(org.manager, org.report)
    meeting_services.series_update(actor=org.manager, series=series, cadence="monthly")
    meeting = make_meeting(series, when=timezone.now() - timedelta(hours=2))
    meeting_services.private_note_add(actor=org.manager, meeting=meeting, text=PRIVATE)
    meeting_services.meeting_update_notes(
        actor=org.manager, meeting=meeting, shared_notes="We agreed", expected_version=None
    )
    item = make_action_item(meeting, org.report)
    meeting_services.action_item_update(actor=org.report, item=item, done=True)
    meeting_services.action_item_update(actor=org.report, item=item, done=False)
    meeting_services.meeting_complete(actor=org.manager, meeting=meeting)
    upcoming = make_meeting(series, days_from_now=3)
    meeting_services.meeting_cancel(actor=org.manager, meeting=upcoming)


def _check_in(org: OrgPeople) -> None:
    checkin = make_checkin(org.report, submit=True)
    checkin_services.checkin_review(actor=org.manager, checkin=checkin, reply="Thanks")


CASES: list[tuple[Callable[[OrgPeople], None], list[str]]] = [
    (_role_change, ["member.update"]),
    (_manager_change, ["member.update"]),
    (_api_key_created_and_revoked, ["api_credential.create", "api_credential.revoke"]),
    (_goal_agreed, ["goals.agreed"]),
    (_review_submitted, ["review.submitted"]),
    (_rating_adjusted_in_calibration, ["calibration.adjusted"]),
    (
        _one_on_one,
        [
            "one_on_one.series_started",
            "one_on_one.cadence_changed",
            "one_on_one.shared_notes_changed",
            "one_on_one.action_item_created",
            "one_on_one.action_item_done",
            "one_on_one.action_item_reopened",
            "one_on_one.meeting_held",
            "one_on_one.meeting_cancelled",
        ],
    ),
    (_check_in, ["checkin.submitted", "checkin.reviewed"]),
]


@pytest.mark.parametrize(("change", "expected"), CASES, ids=[case[0].__name__ for case in CASES])
def test_each_sensitive_change_is_recorded_by_its_service(
    org: OrgPeople, change: Callable[[OrgPeople], None], expected: list[str]
) -> None:
    before = _actions(org)
    with organization_scope(org.organization):
        change(org)
    recorded = _actions(org)[len(before) :]
    for action in expected:
        assert action in recorded, f"{action} not recorded; got {recorded}"
        assert action in LABELS, f"{action} has no label on the audit page"


def test_role_and_manager_changes_record_before_and_after(org: OrgPeople) -> None:
    with organization_scope(org.organization):
        _role_change(org)
        _manager_change(org)
        changes = list(
            AuditEntry.objects.filter(action="member.update")
            .order_by("id")
            .values_list("changes", flat=True)
        )
    assert changes[-2]["role"] == [Role.EMPLOYEE, Role.HR_ADMIN]
    assert changes[-1]["manager"][1] == org.manager.pk


def test_an_export_of_the_audit_log_is_recorded(org: OrgPeople) -> None:
    record(org)
    response = login(Client(), org.hr).post("/o/acme/people/audit/export/", {"file_format": "csv"})
    assert response.status_code == 200
    assert _actions(org)[-1] == "audit.exported"


def test_nothing_from_a_private_note_reaches_the_trail(org: OrgPeople) -> None:
    with organization_scope(org.organization):
        _one_on_one(org)
        note = meeting_services.private_note_add(
            actor=org.report,
            meeting=make_meeting(make_series(org.manager, org.report), days_from_now=5),
            text=PRIVATE,
        )
        meeting_services.private_note_update(actor=org.report, note=note, text=PRIVATE + " (more)")
        entries = list(AuditEntry.objects.values("action", "target_type", "changes"))
    assert entries
    assert all(entry["target_type"] != "meetings.PrivateNote" for entry in entries)
    written = json.dumps([entry["changes"] for entry in entries])
    assert "PRIVATE-NOTE" not in written
    assert "health" not in written
    # The whole table, every organization, every column: not a trace.
    everything = json.dumps(list(AuditEntry.unscoped.values()), default=str)
    assert "PRIVATE-NOTE" not in everything


def test_peer_reviews_are_not_recorded_under_their_authors_name(org: OrgPeople) -> None:
    """Anonymous stays anonymous: only self and manager reviews are recorded as submitted."""
    assert set(PRIVATE_AUTHOR_KINDS) == {"peer", "upward"}
    with organization_scope(org.organization):
        _review_submitted(org)
        submitted = AuditEntry.objects.filter(action="review.submitted")
        kinds = set(
            Review.objects.filter(
                pk__in=[int(pk) for pk in submitted.values_list("target_id", flat=True)]
            ).values_list("kind", flat=True)
        )
    assert kinds == {"self"}


def test_every_action_a_service_records_by_name_has_a_label_on_the_audit_page() -> None:
    root = Path(__file__).resolve().parents[2]
    recorded = {
        (match.group(1), str(path.relative_to(root)))
        for path in root.rglob("*.py")
        if not {".venv", "tests", "migrations", "bench"} & set(path.relative_to(root).parts)
        for match in re.finditer(r'\baction="([a-z0-9_-]+\.[a-z0-9_.-]+)"', path.read_text())
    }
    assert len(recorded) > 50  # the scan finds the services' records
    assert [(action, path) for action, path in sorted(recorded) if action not in LABELS] == []
