"""Review reminders: closing soon (counting extensions), the manager's digest of
self-assessments to read, an acknowledgement pending; each sent once for its period."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from perfmgmt.notifications.models import Notification
from reviews import reminders
from reviews.models import ReviewerKind
from reviews.services.release import participant_release, review_acknowledge
from tests.conftest import OrgPeople
from tests.reviews.factories import running_cycle
from tests.reviews.release_helpers import submit, written_cycle
from tests.reviews.test_sweep import dst_phases

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def at(moment: datetime, producer, org: OrgPeople) -> int:
    with time_machine.travel(moment, tick=False):
        return producer(org.organization, moment)


def test_closing_soon_reminds_who_has_not_submitted_once_counting_extensions(
    scope, org: OrgPeople
) -> None:
    cycle = running_cycle(org, [org.report, org.report2, org.colleague], phases=dst_phases())
    cycle.participants.filter(reviewee=org.report2).update(
        self_deadline=datetime(2026, 11, 20, tzinfo=UTC)
    )
    submit(cycle.participants.get(reviewee=org.colleague).reviews.get(kind="self"), {})
    too_early = datetime(2026, 10, 20, 8, 0, tzinfo=UTC)  # closes in 6 days; reminder: 3
    assert at(too_early, reminders.review_closing_soon, org) == 0
    due = datetime(2026, 10, 24, 8, 0, tzinfo=UTC)
    assert at(due, reminders.review_closing_soon, org) == 1
    assert at(due + DAY, reminders.review_closing_soon, org) == 0
    sent = Notification.objects.get(kind="review-closing-soon")
    assert sent.recipient == org.report


def test_a_manager_gets_one_digest_a_day_of_self_assessments_to_read(scope, org: OrgPeople) -> None:
    cycle = running_cycle(org, [org.report, org.report2], phases=dst_phases())
    first = cycle.participants.get(reviewee=org.report).reviews.get(kind=ReviewerKind.SELF)
    second = cycle.participants.get(reviewee=org.report2).reviews.get(kind=ReviewerKind.SELF)
    monday = datetime(2026, 10, 12, 9, 0, tzinfo=UTC)
    with time_machine.travel(monday - timedelta(hours=1), tick=False):
        submit(first, {})
    assert at(monday, reminders.review_self_ready, org) == 1
    assert at(monday + timedelta(hours=3), reminders.review_self_ready, org) == 0
    assert at(monday + DAY, reminders.review_self_ready, org) == 0  # nothing new
    with time_machine.travel(monday + DAY + timedelta(hours=1), tick=False):
        submit(second, {})
    assert at(monday + DAY + timedelta(hours=2), reminders.review_self_ready, org) == 1
    digests = Notification.objects.filter(kind="review-self-ready").order_by("created_at")
    assert [note.recipient for note in digests] == [org.manager, org.manager]
    assert "Rita Report" in digests[0].body
    assert "Ravi Report" in digests[1].body
    assert "Rita Report" not in digests[1].body


def test_an_acknowledgement_pending_is_reminded_once_then_once_again_then_never(
    scope, org: OrgPeople
) -> None:
    participant = written_cycle(org, [org.report]).participants.get()
    participant_release(actor=org.hr, participant=participant)
    now = timezone.now()
    assert at(now + DAY, reminders.review_acknowledge_pending, org) == 0
    assert at(now + 3 * DAY + timedelta(hours=1), reminders.review_acknowledge_pending, org) == 1
    assert at(now + 4 * DAY, reminders.review_acknowledge_pending, org) == 0
    assert at(now + 6 * DAY + timedelta(hours=1), reminders.review_acknowledge_pending, org) == 1
    assert at(now + 15 * DAY, reminders.review_acknowledge_pending, org) == 0
    assert Notification.objects.filter(kind="review-acknowledge-pending").count() == 2


def test_an_acknowledged_review_is_not_reminded(scope, org: OrgPeople) -> None:
    participant = written_cycle(org, [org.report]).participants.get()
    participant_release(actor=org.hr, participant=participant)
    participant.refresh_from_db()
    review_acknowledge(actor=org.report, participant=participant)
    later = timezone.now() + 10 * DAY
    assert at(later, reminders.review_acknowledge_pending, org) == 0


def test_a_reminder_is_written_on_the_recipients_clock_and_in_their_language(
    scope, org: OrgPeople
) -> None:
    # The self phase closes on 26 October 2026 at 17:00 in Berlin, 16:00 UTC: 21:45 in
    # Kathmandu (UTC+05:45). German dates name the month the German way (Okt.).
    org.report.user.time_zone = "Asia/Kathmandu"
    org.report.user.language = "de"
    org.report.user.save()
    running_cycle(org, [org.report], phases=dst_phases())
    at(datetime(2026, 10, 24, 8, 0, tzinfo=UTC), reminders.review_closing_soon, org)
    body = Notification.objects.get(kind="review-closing-soon").body
    assert "21:45" in body
    assert "Okt" in body
