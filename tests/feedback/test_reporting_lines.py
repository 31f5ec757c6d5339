"""Moving reporting lines grants no reading rights backwards, and manager reads are audited.

Security issue 8: HR set an employee's manager to itself and read their manager-only
feedback and coaching records. Now another HR admin must make the move, the new manager
reads only what was written from then on, and reading such content leaves an audit entry.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from feedback import policies, selectors
from feedback.models import Feedback
from feedback.services import manager_content_read
from feedback.services.reads import READ_ACTION
from perfmgmt.audit.models import AuditEntry
from perfmgmt.tenancy import services as people_services
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, Role
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory
from tests.feedback.factories import make_coaching_record, make_feedback

pytestmark = pytest.mark.django_db

V = Feedback.Visibility
ClientFor = Callable[[Membership], Client]
ApiAs = Callable[[Membership], APIClient]


@pytest.fixture
def other_hr(org: OrgPeople) -> Membership:
    return MembershipFactory.create(
        organization=org.organization, role=Role.HR_ADMIN, manager=org.owner
    )


def page(org: OrgPeople, name: str, **kwargs: object) -> str:
    return reverse(f"feedback:{name}", kwargs={"org_slug": org.organization.slug, **kwargs})


def url(org: OrgPeople, resource: str, object_id: int | None = None) -> str:
    path = f"/api/v1/orgs/{org.organization.slug}/{resource}/"
    return path if object_id is None else f"{path}{object_id}/"


def later(days: int) -> time_machine.travel:
    return time_machine.travel(timezone.now() + timedelta(days=days))


def move(actor: Membership, member: Membership, manager: Membership) -> None:
    with organization_scope(actor.organization):
        people_services.member_update(actor=actor, member=member, manager=manager)


def feedback_ids(reader: Membership) -> set[int]:
    with organization_scope(reader.organization):
        return set(selectors.feedback_list(actor=reader).values_list("pk", flat=True))


def coaching_ids(reader: Membership) -> set[int]:
    with organization_scope(reader.organization):
        return set(selectors.coaching_record_list(actor=reader).values_list("pk", flat=True))


def reads(reader: Membership) -> list[AuditEntry]:
    with organization_scope(reader.organization):
        return list(
            AuditEntry.objects.filter(action=READ_ACTION, actor_membership=reader).order_by("id")
        )


# A new manager reads what is written from then on ---------------------------------------


def test_hr_made_a_manager_by_another_hr_admin_reads_only_what_is_written_afterwards(
    org: OrgPeople, other_hr: Membership
) -> None:
    old_note = make_feedback(org.colleague, org.report, V.MANAGER_ONLY)
    old_shared = make_feedback(org.colleague, org.report, V.RECIPIENT_AND_MANAGER)
    old_record = make_coaching_record(org.manager, org.report)
    with later(1):
        move(other_hr, org.report, org.hr)
    with later(2):
        new_note = make_feedback(org.colleague, org.report, V.MANAGER_ONLY)
        new_record = make_coaching_record(org.owner, org.report)

    assert feedback_ids(org.hr) == {new_note.pk}
    assert coaching_ids(org.hr) == {new_record.pk}
    with organization_scope(org.organization):
        for old in (old_note, old_shared):
            assert not policies.can_view_feedback(org.hr, old)
        assert policies.can_view_feedback(org.hr, new_note)
        assert not policies.can_view_coaching_record(org.hr, old_record)
        assert policies.can_view_coaching_record(org.hr, new_record)
        # The person still reads what is theirs to read, the author what they wrote.
        assert policies.can_view_feedback(org.report, old_shared)
        assert policies.can_view_coaching_record(org.report, old_record)
        assert policies.can_view_coaching_record(org.manager, old_record)


def test_a_new_skip_level_manager_reads_only_what_was_written_after_every_link_began(
    org: OrgPeople, other_hr: Membership
) -> None:
    old_note = make_feedback(org.colleague, org.report, V.MANAGER_ONLY)
    old_record = make_coaching_record(org.manager, org.report)
    with later(1):
        move(other_hr, org.manager, org.hr)  # HR is now above the manager's reports
    with later(2):
        new_note = make_feedback(org.colleague, org.report, V.MANAGER_ONLY)

    assert feedback_ids(org.hr) == {new_note.pk}
    assert coaching_ids(org.hr) == set()
    # The direct manager's own line did not change: they read both.
    assert {old_note.pk, new_note.pk} <= feedback_ids(org.manager)
    # The owner is above through the link that just began, so from then on too.
    assert feedback_ids(org.owner) == {new_note.pk}
    with organization_scope(org.organization):
        assert not policies.can_view_feedback(org.hr, old_note)
        assert not policies.can_view_feedback(org.owner, old_note)
        assert policies.can_view_feedback(org.manager, old_note)
        assert not policies.can_view_coaching_record(org.hr, old_record)
        assert policies.can_view_feedback(org.hr, new_note)


def test_over_the_api_a_new_manager_gets_404_for_what_was_written_before(
    org: OrgPeople, other_hr: Membership, api_as: ApiAs
) -> None:
    old_note = make_feedback(org.colleague, org.report, V.MANAGER_ONLY)
    old_record = make_coaching_record(org.manager, org.report)
    with later(1):
        move(other_hr, org.report, org.hr)
    with later(2):
        new_note = make_feedback(org.colleague, org.report, V.MANAGER_ONLY)
    client = api_as(org.hr)

    assert client.get(url(org, "feedback", old_note.pk)).status_code == 404
    assert client.get(url(org, "coaching-records", old_record.pk)).status_code == 404
    assert client.get(url(org, "feedback", new_note.pk)).status_code == 200
    listed = client.get(url(org, "feedback")).json()["results"]
    assert [item["id"] for item in listed] == [new_note.pk]
    assert client.get(url(org, "coaching-records")).json()["results"] == []


def test_on_the_pages_a_new_manager_sees_only_what_was_written_afterwards(
    org: OrgPeople, other_hr: Membership, client_for: ClientFor
) -> None:
    make_feedback(org.colleague, org.report, V.MANAGER_ONLY, situation="Before the move")
    make_coaching_record(org.manager, org.report, topic="Coached before")
    with later(1):
        move(other_hr, org.report, org.hr)
    with later(2):
        make_feedback(org.colleague, org.report, V.MANAGER_ONLY, situation="After the move")
        make_coaching_record(org.owner, org.report, topic="Coached after")
    client = client_for(org.hr)

    team = client.get(page(org, "feedback_team")).content.decode()
    coaching = client.get(page(org, "coaching_person", member_id=org.report.pk))
    assert "After the move" in team
    assert "Before the move" not in team
    assert "Coached after" in coaching.content.decode()
    assert "Coached before" not in coaching.content.decode()


# Reads of manager content are audited --------------------------------------------------


def test_a_page_of_manager_only_feedback_is_audited_once_naming_what_was_read(
    org: OrgPeople, client_for: ClientFor
) -> None:
    notes = [make_feedback(org.colleague, org.report, V.MANAGER_ONLY) for _ in range(3)]
    make_feedback(org.colleague, org.report, V.RECIPIENT_AND_MANAGER)

    client_for(org.manager).get(page(org, "feedback_team"))
    client_for(org.manager).get(page(org, "feedback_detail", feedback_id=notes[0].pk))

    listed, detail = reads(org.manager)
    assert sorted(listed.changes["feedback"]) == sorted(note.pk for note in notes)
    assert listed.changes["people"] == [org.report.pk]
    assert (listed.target_type, listed.target_id) == ("tenancy.Membership", str(org.report.pk))
    assert detail.changes["feedback"] == [notes[0].pk]
    # The giver reading what they wrote leaves no trace.
    client_for(org.colleague).get(page(org, "feedback_given"))
    client_for(org.colleague).get(page(org, "feedback_detail", feedback_id=notes[0].pk))
    assert reads(org.colleague) == []


def test_reading_someone_elses_coaching_records_as_a_manager_is_audited(
    org: OrgPeople, client_for: ClientFor
) -> None:
    records = [make_coaching_record(org.owner, org.report) for _ in range(2)]

    client_for(org.manager).get(page(org, "coaching_person", member_id=org.report.pk))
    client_for(org.manager).get(page(org, "coaching_detail", coaching_record_id=records[0].pk))

    listed, detail = reads(org.manager)
    assert sorted(listed.changes["coaching_records"]) == sorted(r.pk for r in records)
    assert detail.changes["coaching_records"] == [records[0].pk]
    # The author and the person themselves are not reading through a reporting line.
    for reader in (org.owner, org.report):
        client_for(reader).get(page(org, "coaching_person", member_id=org.report.pk))
        client_for(reader).get(page(org, "coaching_detail", coaching_record_id=records[0].pk))
        assert reads(reader) == []


def test_api_reads_of_manager_content_are_audited_once_per_list_or_object(
    org: OrgPeople, api_as: ApiAs
) -> None:
    note = make_feedback(org.colleague, org.report, V.MANAGER_ONLY)
    about_report2 = make_feedback(org.colleague, org.report2, V.MANAGER_ONLY)
    record = make_coaching_record(org.manager, org.report)
    client = api_as(org.owner)

    client.get(url(org, "feedback"))
    client.get(url(org, "feedback", note.pk))
    client.get(url(org, "coaching-records"))
    client.get(url(org, "coaching-records", record.pk))

    feedback_list, feedback_detail, coaching_list, coaching_detail = reads(org.owner)
    assert sorted(feedback_list.changes["feedback"]) == sorted([note.pk, about_report2.pk])
    assert feedback_list.changes["people"] == sorted([org.report.pk, org.report2.pk])
    assert feedback_list.target_id == str(org.owner.pk)  # about several people: the reader
    assert feedback_detail.changes["feedback"] == [note.pk]
    assert coaching_list.changes["coaching_records"] == [record.pk]
    assert coaching_detail.changes["coaching_records"] == [record.pk]


def test_the_coaching_records_another_app_shows_are_audited_as_read(org: OrgPeople) -> None:
    record = make_coaching_record(org.manager, org.report)
    with organization_scope(org.organization):
        shown = selectors.coaching_records_for(actor=org.owner, person=org.report)
        assert shown == [record]
        assert selectors.coaching_records_for(actor=org.report, person=org.report) == [record]
    (entry,) = reads(org.owner)
    assert entry.changes["coaching_records"] == [record.pk]
    assert reads(org.report) == []


def test_nothing_is_audited_when_a_page_shows_no_manager_content(org: OrgPeople) -> None:
    shared = make_feedback(org.colleague, org.report, V.RECIPIENT_AND_MANAGER)
    with organization_scope(org.organization):
        assert manager_content_read(actor=org.manager, feedback=[shared]) is None
        assert manager_content_read(actor=org.manager) is None
    assert reads(org.manager) == []
