"""Feedback, feedback requests and coaching records through the services and selectors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from feedback import policies, selectors, services
from feedback.models import CoachingRecord, Feedback, FeedbackAsk
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from perfmgmt.notifications.models import Notification
from tests.conftest import OrgPeople
from tests.feedback.factories import make_coaching_record, make_feedback, make_request

pytestmark = pytest.mark.django_db

V = Feedback.Visibility

# (visibility, who may read it besides the giver) for feedback from colleague to report,
# whose chain is manager -> owner. HR is never a reader by role.
READERS: dict[str, set[str]] = {
    V.PRIVATE: {"report"},
    V.RECIPIENT_AND_MANAGER: {"report", "manager", "owner"},
    V.MANAGER_ONLY: {"manager", "owner"},
}
EVERYONE = ("owner", "hr", "manager", "report", "report2")


@pytest.mark.parametrize("visibility", list(READERS))
def test_who_reads_feedback_follows_the_visibility_chosen_before_sending(
    org: OrgPeople, scope: object, visibility: str
) -> None:
    feedback = make_feedback(org.colleague, org.report, visibility)
    for name in EVERYONE:
        reader = getattr(org, name)
        expected = name in READERS[visibility]
        assert policies.can_view_feedback(reader, feedback) is expected, name
        listed = selectors.feedback_list(actor=reader).filter(pk=feedback.pk).exists()
        assert listed is expected, f"{name}: selector and policy disagree"
    assert policies.can_view_feedback(org.colleague, feedback)


def test_hr_admins_do_not_read_private_feedback(org: OrgPeople, scope: object) -> None:
    feedback = make_feedback(org.colleague, org.report, V.PRIVATE)
    assert not policies.can_view_feedback(org.hr, feedback)
    assert not selectors.feedback_list(actor=org.hr).exists()


def test_feedback_needs_at_least_one_of_situation_behaviour_impact(
    org: OrgPeople, scope: object
) -> None:
    with pytest.raises(DomainError) as error:
        services.feedback_give(
            actor=org.colleague, recipient=org.report, visibility=V.PRIVATE, situation="  "
        )
    assert "situation" in error.value.fields
    assert not Feedback.objects.exists()


def test_one_cannot_give_feedback_to_oneself(org: OrgPeople, scope: object) -> None:
    with pytest.raises(DomainError) as error:
        services.feedback_give(
            actor=org.report, recipient=org.report, visibility=V.PRIVATE, impact="x"
        )
    assert "recipient" in error.value.fields


def test_the_recipient_is_notified_only_when_they_may_read_it(
    org: OrgPeople, scope: object
) -> None:
    make_feedback(org.colleague, org.report, V.MANAGER_ONLY)
    assert not Notification.objects.filter(recipient=org.report).exists()
    make_feedback(org.colleague, org.report, V.PRIVATE)
    assert Notification.objects.filter(recipient=org.report, kind="feedback-received").count() == 1


def test_only_the_giver_edits_the_text_and_the_visibility_stays(
    org: OrgPeople, scope: object
) -> None:
    feedback = make_feedback(org.colleague, org.report, V.PRIVATE)
    with pytest.raises(PermissionDeniedError):
        services.feedback_update(actor=org.report, feedback=feedback, impact="changed")
    updated = services.feedback_update(actor=org.colleague, feedback=feedback, impact="better")
    assert updated.impact == "better"
    assert updated.visibility == V.PRIVATE


def test_feedback_counts_for_a_team_take_two_queries_and_respect_the_viewer(
    org: OrgPeople, scope: object, django_assert_num_queries: object
) -> None:
    make_feedback(org.colleague, org.report, V.PRIVATE)
    make_feedback(org.report2, org.report, V.RECIPIENT_AND_MANAGER)
    since = timezone.now() - timedelta(days=90)
    people = [org.report, org.report2]
    with django_assert_num_queries(2):  # type: ignore[operator]
        counts = selectors.feedback_counts_for(people, since=since)
    assert counts[org.report.pk].received == 2
    assert counts[org.report2.pk].given == 1
    as_manager = selectors.feedback_counts_for(people, since=since, viewer=org.manager)
    assert as_manager[org.report.pk].received == 1


# Feedback requests ---------------------------------------------------------------------


def test_a_request_asks_each_chosen_person_once_and_notifies_them(
    org: OrgPeople, scope: object
) -> None:
    request = make_request(org.report, [org.colleague, org.report2])
    asks = {ask.person_id: ask.status for ask in request.asks.all()}
    assert asks == {org.colleague.pk: "pending", org.report2.pk: "pending"}
    assert Notification.objects.filter(kind="feedback-request").count() == 2


def test_a_manager_can_request_feedback_about_a_report_but_not_about_anyone_else(
    org: OrgPeople, scope: object
) -> None:
    make_request(org.manager, [org.colleague], subject=org.report)
    with pytest.raises(DomainError) as error:
        make_request(org.colleague, [org.report2], subject=org.report)
    assert "subject" in error.value.fields


def test_a_request_needs_people_a_prompt_and_a_due_date_not_in_the_past(
    org: OrgPeople, scope: object
) -> None:
    with pytest.raises(DomainError) as error:
        services.feedback_request_create(
            actor=org.report,
            subject=org.report,
            people=[org.report],
            prompt="x",
            due_on=timezone.localdate(),
        )
    assert "people" in error.value.fields
    with pytest.raises(DomainError) as error:
        services.feedback_request_create(
            actor=org.report,
            subject=org.report,
            people=[org.colleague],
            prompt=" ",
            due_on=timezone.localdate() - timedelta(days=2),
        )
    assert set(error.value.fields) == {"prompt", "due_on"}


def test_answering_creates_feedback_about_the_subject_linked_to_the_request(
    org: OrgPeople, scope: object
) -> None:
    request = make_request(org.manager, [org.colleague], subject=org.report)
    feedback = services.feedback_request_answer(
        actor=org.colleague, request=request, visibility=V.MANAGER_ONLY, impact="Calm under load"
    )
    assert feedback.recipient == org.report
    assert feedback.request == request
    ask = FeedbackAsk.objects.get(request=request, person=org.colleague)
    assert ask.status == FeedbackAsk.Status.ANSWERED
    assert ask.feedback == feedback
    assert policies.can_view_feedback(org.manager, feedback)
    with pytest.raises(ConflictError):
        services.feedback_request_answer(
            actor=org.colleague, request=request, visibility=V.MANAGER_ONLY, impact="again"
        )


def test_an_answer_to_a_managers_request_cannot_be_private_to_the_report(
    org: OrgPeople, scope: object
) -> None:
    request = make_request(org.manager, [org.colleague], subject=org.report)
    with pytest.raises(DomainError) as error:
        services.feedback_request_answer(
            actor=org.colleague, request=request, visibility=V.PRIVATE, impact="x"
        )
    assert "visibility" in error.value.fields
    assert not Feedback.objects.exists()


def test_declining_records_the_reason_once_and_blocks_answering(
    org: OrgPeople, scope: object
) -> None:
    request = make_request(org.report, [org.colleague])
    services.feedback_request_decline(
        actor=org.colleague, request=request, reason="Not enough contact"
    )
    again = services.feedback_request_decline(actor=org.colleague, request=request, reason="other")
    assert again.decline_reason == "Not enough contact"
    with pytest.raises(ConflictError):
        services.feedback_request_answer(
            actor=org.colleague, request=request, visibility=V.PRIVATE, impact="x"
        )
    told = Notification.objects.filter(recipient=org.report, kind="feedback-request-declined")
    assert [n.body for n in told] == ["Not enough contact"]


def test_someone_not_asked_can_neither_see_nor_answer_a_request(
    org: OrgPeople, scope: object
) -> None:
    request = make_request(org.report, [org.colleague])
    assert not policies.can_view_feedback_request(org.report2, request)
    assert not selectors.feedback_request_list(actor=org.report2).exists()
    with pytest.raises(PermissionDeniedError):
        services.feedback_request_decline(actor=org.report2, request=request)


# Coaching records ----------------------------------------------------------------------


def test_a_manager_of_the_chain_writes_a_coaching_record_the_employee_can_read(
    org: OrgPeople, scope: object
) -> None:
    record = make_coaching_record(org.owner, org.report)
    for reader in (org.report, org.manager, org.owner):
        assert policies.can_view_coaching_record(reader, record)
        assert len(selectors.coaching_records_for(actor=reader, person=org.report)) == 1
    for outsider in (org.hr, org.colleague, org.report2):
        assert not policies.can_view_coaching_record(outsider, record)
        assert not selectors.coaching_records_for(actor=outsider, person=org.report)


def test_only_managers_write_coaching_records(org: OrgPeople, scope: object) -> None:
    with pytest.raises(PermissionDeniedError):
        make_coaching_record(org.colleague, org.report)
    assert not CoachingRecord.objects.exists()


def test_a_follow_up_before_the_conversation_is_refused(org: OrgPeople, scope: object) -> None:
    today = timezone.localdate()
    with pytest.raises(DomainError) as error:
        make_coaching_record(
            org.manager, org.report, held_on=today, follow_up_on=today - timedelta(days=1)
        )
    assert "follow_up_on" in error.value.fields


def test_follow_ups_due_list_what_the_next_one_on_one_should_come_back_to(
    org: OrgPeople, scope: object
) -> None:
    today = timezone.localdate()
    due = make_coaching_record(org.manager, org.report, follow_up_on=today + timedelta(days=3))
    make_coaching_record(org.manager, org.report, follow_up_on=today + timedelta(days=30))
    make_coaching_record(org.manager, org.report)  # no follow-up
    make_coaching_record(org.owner, org.report, follow_up_on=today)  # another manager's
    found = selectors.coaching_follow_ups_due(
        person=org.report, manager=org.manager, before=today + timedelta(days=7)
    )
    assert list(found) == [due]


def test_only_the_author_edits_a_coaching_record(org: OrgPeople, scope: object) -> None:
    record = make_coaching_record(org.manager, org.report)
    with pytest.raises(PermissionDeniedError):
        services.coaching_record_update(actor=org.owner, record=record, topic="Mine now")
    updated = services.coaching_record_update(actor=org.manager, record=record, topic="Reviews")
    assert updated.topic == "Reviews"
