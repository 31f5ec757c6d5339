"""The ZIP of one person's data: every registered model, nothing of anyone else."""

from __future__ import annotations

import json
import os
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from perfmgmt.audit.models import AuditEntry
from perfmgmt.errors import ConflictError, PermissionDeniedError
from perfmgmt.privacy.models import PersonalDataExport
from perfmgmt.privacy.registry import registrations
from perfmgmt.privacy.services import export_request
from perfmgmt.privacy.tasks import personal_data_exports_expire
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.feedback.factories import make_feedback
from tests.goals.factories import create_goal
from tests.privacy.isolation import make_ready_export
from tests.privacy.scenario import PEER_TEXTS, build_scenario, request_export, share_login

pytestmark = pytest.mark.django_db


def rows(files: dict[str, str], label: str) -> list[dict]:
    return json.loads(files[f"{label}.json"])["rows"]


def everything(files: dict[str, str]) -> str:
    return "\n".join(files.values())


def test_the_zip_holds_a_json_and_a_csv_file_per_registered_model(org, other_org, export_of):
    build_scenario(org, other_org)
    files = export_of(org.hr, org.report)

    for entry in registrations():
        assert f"{entry.label}.json" in files
        assert files[f"{entry.label}.csv"].splitlines()[0].split(",") == entry.columns()


def test_the_zip_holds_the_persons_rows_and_nobody_elses(org, other_org, export_of):
    scenario = build_scenario(org, other_org)
    share_login(org.report, other_org)
    files = export_of(org.report, org.report)
    text = everything(files)

    assert [row["id"] for row in rows(files, "tenancy.Membership")] == [org.report.pk]
    assert [row["title"] for row in rows(files, "goals.Goal")] == ["RITA-GOAL"]
    assert "RITA-UPDATE-COMMENT" in text
    assert {row["id"] for row in rows(files, "feedback.Feedback")} == {
        scenario.given.pk,
        scenario.received.pk,
    }
    assert "RITA-CHECKIN" in text
    assert "RITA-TALKING-POINT" in text
    for foreign in ("RAVI-GOAL", "RAVI-UPDATE-COMMENT", "CORA-TO-RAVI", "GLOBEX", "SHARED-LOGIN"):
        assert foreign not in text
    assert rows(files, "accounts.User")[0]["email"] == org.report.user.email


def test_private_notes_reach_only_their_author(org, other_org, export_of):
    build_scenario(org, other_org)

    own = everything(export_of(org.report, org.report))
    by_hr = everything(export_of(org.hr, org.report))

    assert "RITA-PRIVATE-NOTE" in own
    assert "MAX-PRIVATE-NOTE" not in own
    assert "RITA-PRIVATE-NOTE" not in by_hr
    assert "MAX-PRIVATE-NOTE" not in by_hr


def test_peer_feedback_about_the_person_is_only_the_anonymous_aggregate(org, other_org, export_of):
    scenario = build_scenario(org, other_org)
    files = export_of(org.report, org.report)
    text = everything(files)

    peer_rows = [row["text"] for row in rows(files, "reviews.ReviewAnswer")]
    assert "RITA-WROTE-ABOUT-RAVI" in peer_rows  # she wrote it: it is hers
    assert not set(PEER_TEXTS) & set(peer_rows)
    review_authors = {row["author_id"] for row in rows(files, "reviews.Review")}
    assert not review_authors & {peer.pk for peer in scenario.peers}
    aggregate = rows(files, "reviews.PeerResults")
    assert {row["respondents"] for row in aggregate} == {3}
    assert all(peer.display_name not in text for peer in scenario.peers)
    assert sorted(json.loads(aggregate[-1]["texts"])) == sorted(PEER_TEXTS)


def test_csv_cells_that_look_like_formulas_are_escaped(org, other_org, export_of):
    create_goal(org.report, title='=HYPERLINK("http://evil")')
    files = export_of(org.report, org.report)

    assert "'=HYPERLINK" in files["goals.Goal.csv"]


def test_an_export_is_audited_without_personal_data(org, other_org, export_of):
    export_of(org.hr, org.report)

    with organization_scope(org.organization):
        entry = AuditEntry.objects.get(action="personal_data.export_requested")
    assert entry.target_id == str(org.report.pk)
    assert org.report.display_name not in json.dumps(entry.changes)


def test_a_colleague_may_not_export_someone_elses_data(org):
    with organization_scope(org.organization), pytest.raises(PermissionDeniedError):
        export_request(actor=org.colleague, person=org.report)


def test_a_second_request_while_one_is_built_is_a_conflict(org):
    with organization_scope(org.organization):
        export_request(actor=org.hr, person=org.report)  # not run: no commit in this test
        with pytest.raises(ConflictError):
            export_request(actor=org.hr, person=org.report)


def test_progress_reaches_every_registration(org, other_org, export_of):
    export_of(org.hr, org.report)

    with organization_scope(org.organization):
        export = PersonalDataExport.objects.get()
    assert export.done == export.total == len(registrations())
    assert export.percent == 100


def test_expired_exports_are_deleted_with_their_files_in_every_organization(
    org, other_org, export_of
):
    ours, theirs = make_ready_export(org), make_ready_export(other_org)
    paths = [ours.file.path, theirs.file.path]
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        assert personal_data_exports_expire.delay().get() == 0
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert personal_data_exports_expire.delay().get() == 2

    assert not any(os.path.exists(path) for path in paths)
    for people in (org, other_org):
        with organization_scope(people.organization):
            assert not PersonalDataExport.objects.exists()


def _build_queries(person: Membership, capture) -> int:
    """Request an export of `person`'s own data; the queries its build runs."""
    with capture(execute=False) as callbacks:
        export = request_export(person, person)
    with CaptureQueriesContext(connection) as captured:
        for callback in callbacks:
            callback()
    with organization_scope(person.organization):
        export.refresh_from_db()
    assert export.status == PersonalDataExport.Status.READY
    return len(captured)


def _rows(org, start: int, end: int) -> None:
    for number in range(start, end):
        create_goal(org.report, title=f"Goal {number}")
        make_feedback(org.colleague, org.report, situation=f"Feedback {number}")


def test_building_an_export_runs_the_same_queries_at_5_and_at_50_rows(
    org, other_org, django_capture_on_commit_callbacks
):
    _rows(org, 0, 5)
    small = _build_queries(org.report, django_capture_on_commit_callbacks)
    _rows(org, 5, 50)
    large = _build_queries(org.report, django_capture_on_commit_callbacks)

    assert small == large
