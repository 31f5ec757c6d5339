"""Check-in, feedback and request pages, reminders and API messages in the reader's language
and on the reader's clock, in the product's one format (perfmgmt/formats/).

The organization is in Asia/Kathmandu (UTC+05:45): everything happens at 20:11 UTC, which is
01:56 on the next day there, so a time shown in UTC (or a day cut at UTC midnight) shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from feedback import reminders, services
from feedback.models import FeedbackVisibility, Frequency
from perfmgmt.notifications import services as notifications
from perfmgmt.notifications.models import Notification
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, Organization
from tests.conftest import OrgPeople
from tests.feedback.factories import make_checkin, make_feedback, make_request

pytestmark = pytest.mark.django_db

ClientFor = Callable[[Membership], Client]
# A Wednesday, 20:11 UTC: Thursday 3 December, 01:56 in Kathmandu.
MOMENT = datetime(2026, 12, 2, 20, 11, tzinfo=UTC)
LONG_AGO = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def page(org: OrgPeople, name: str, **kwargs: object) -> str:
    return reverse(f"feedback:{name}", kwargs={"org_slug": org.organization.slug, **kwargs})


def remind(
    org: OrgPeople, producer: Callable[[Organization, datetime], object], now: datetime
) -> None:
    """Run one reminder the way the sweep does: in the organization's scope."""
    with organization_scope(org.organization):
        producer(org.organization, now)


def html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def kathmandu(org: OrgPeople) -> Iterator[OrgPeople]:
    """`org` in Kathmandu, its people there since January, the clock stopped at MOMENT."""
    org.organization.time_zone = "Asia/Kathmandu"
    org.organization.save(update_fields=["time_zone"])
    with organization_scope(org.organization):
        Membership.objects.update(created_at=LONG_AGO, start_date=None)
        # The people in hand too: a person's first check-in begins on their first day, which
        # would otherwise be the day this test runs.
        for person in (org.owner, org.hr, org.manager, org.report, org.report2, org.colleague):
            person.refresh_from_db()
    with time_machine.travel(MOMENT, tick=False):
        yield org


def german(org: OrgPeople) -> OrgPeople:
    org.organization.locale = "de"
    org.organization.save(update_fields=["locale"])
    return org


def weekly_cadence(org: OrgPeople, *, due_weekday: int, remind_again_after_days: int = 2) -> None:
    """Check-ins set up by HR long before today (so the current period follows them)."""
    with time_machine.travel(LONG_AGO, tick=False), organization_scope(org.organization):
        services.cadence_save(
            actor=org.hr,
            frequency=Frequency.WEEKLY,
            due_weekday=due_weekday,
            questions=["What went well?"],
            remind_again_after_days=remind_again_after_days,
        )


def reviewed_checkin(org: OrgPeople) -> int:
    checkin = make_checkin(org.report, submit=True)
    with organization_scope(org.organization):
        services.checkin_review(actor=org.manager, checkin=checkin, reply="Good week")
    return checkin.pk


# One format, the reader's clock --------------------------------------------------------


def test_a_check_in_shows_when_it_was_submitted_and_reviewed_on_the_readers_clock(
    kathmandu: OrgPeople, client_for: ClientFor
) -> None:
    org = kathmandu
    checkin_id = reviewed_checkin(org)
    text = html(client_for(org.manager), page(org, "checkin_detail", checkin_id=checkin_id))
    assert "submitted 3 Dec 2026, 01:56" in text
    assert f"Reviewed by {org.manager.display_name} on 3 Dec 2026" in text
    # The period (30 Nov to 6 Dec in Kathmandu) in the same format.
    assert "30 Nov 2026 \N{EN DASH} 6 Dec 2026" in text
    assert "20:11" not in text


def test_feedback_and_requests_are_dated_on_the_readers_day(
    kathmandu: OrgPeople, client_for: ClientFor
) -> None:
    org = kathmandu
    feedback = make_feedback(org.colleague, org.report)
    request = make_request(org.report, [org.colleague])
    with organization_scope(org.organization):
        services.feedback_request_answer(
            actor=org.colleague,
            request=request,
            visibility=FeedbackVisibility.RECIPIENT_AND_MANAGER,
            situation="At the launch",
        )
    report = client_for(org.report)
    pages = {
        "detail": html(report, page(org, "feedback_detail", feedback_id=feedback.pk)),
        "list": html(report, page(org, "feedback_received")),
        "request": html(report, page(org, "request_detail", feedback_request_id=request.pk)),
        "answered": html(
            client_for(org.colleague), page(org, "request_detail", feedback_request_id=request.pk)
        ),
    }
    assert "3 Dec 2026 · The recipient and their managers" in pages["detail"]
    assert "· 3 Dec 2026 · The recipient and their managers" in pages["list"]
    assert f"Asked by {org.report.display_name} on 3 Dec 2026" in pages["request"]
    assert "You answered this request on 3 Dec 2026." in pages["answered"]
    for text in pages.values():
        assert "2 Dec 2026" not in text  # the UTC day
        assert "December" not in text  # the old formats


# German --------------------------------------------------------------------------------


def test_a_german_organization_writes_its_check_ins_in_german(
    kathmandu: OrgPeople, client_for: ClientFor
) -> None:
    org = german(kathmandu)
    text = html(client_for(org.report), page(org, "checkin_mine"))
    assert '<html lang="de">' in text
    assert "<h1>Mein Check-in</h1>" in text
    # The built-in questions, the score choices and the due day, in German.
    assert "Was lief gut?" in text
    assert "1 — schwierig" in text
    assert "Fällig am Freitag, 4. Dezember" in text
    assert "Entwurf speichern" in text
    assert "Draft" not in text


def test_a_german_manager_reads_a_check_in_in_german_on_the_local_clock(
    kathmandu: OrgPeople, client_for: ClientFor
) -> None:
    org = german(kathmandu)
    checkin_id = reviewed_checkin(org)
    text = html(client_for(org.manager), page(org, "checkin_detail", checkin_id=checkin_id))
    assert "Durchgesehen" in text  # the status
    assert "eingereicht am 3. Dez 2026, 01:56" in text
    assert f"Durchgesehen von {org.manager.display_name} am 3. Dez 2026" in text
    assert "Antwort der Führungskraft" in text
    assert "20:11" not in text


def test_giving_feedback_is_in_german_down_to_the_form_and_its_errors(
    kathmandu: OrgPeople, client_for: ClientFor
) -> None:
    org = german(kathmandu)
    client = client_for(org.report)
    text = html(client, page(org, "feedback_give"))
    assert "<h1>Feedback geben</h1>" in text
    assert "Wer kann es lesen" in text
    assert "Nur die empfangende Person" in text  # a visibility choice
    response = client.post(
        page(org, "feedback_give"), {"recipient": org.colleague.pk, "visibility": "private"}
    )
    assert response.status_code == 400
    assert "Beschreiben Sie die Situation, das Verhalten oder seine Wirkung" in (
        response.content.decode()
    )


def test_the_api_explains_a_refusal_in_the_organizations_language(kathmandu: OrgPeople) -> None:
    org = german(kathmandu)
    checkin = make_checkin(org.report)
    client = APIClient()
    client.force_login(org.report.user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.patch(
        f"/api/v1/orgs/{org.organization.slug}/checkins/{checkin.pk}/",
        {"submit": True},
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["message"] == "Der Check-in ist noch nicht vollständig."
    assert error["fields"]["answers"] == ["Beantworten Sie mindestens eine Frage."]


# Reminders: each recipient's language and clock -----------------------------------------


def emails_of(org: OrgPeople, kind: str) -> dict[int, mail.EmailMessage]:
    """Send the emails of this kind of notification; the messages by recipient."""
    with organization_scope(org.organization):
        notes = list(Notification.objects.filter(kind=kind).order_by("id"))
        for note in notes:
            assert notifications.email_send(notification_id=note.pk) == "sent"
    by_address = {message.to[0]: message for message in mail.outbox}
    return {note.recipient_id: by_address[note.recipient.user.email] for note in notes}


def test_the_check_in_reminder_email_is_german_and_dated_on_the_local_calendar(
    kathmandu: OrgPeople,
) -> None:
    org = german(kathmandu)
    org.manager.user.language = "en"  # a person's own choice comes first
    org.manager.user.save(update_fields=["language"])
    weekly_cadence(org, due_weekday=3)  # Thursday: today in Kathmandu, Wednesday in UTC
    remind(org, reminders.checkin_due, MOMENT.astimezone(org.organization.zone))
    emails = emails_of(org, "checkin-due")
    german_email, english_email = emails[org.report.pk], emails[org.manager.pk]
    assert german_email.subject == f"{org.organization.name}: Ihr Check-in ist heute fällig"
    assert (
        "Erzählen Sie Ihrer Führungskraft, wie der Zeitraum vom 30. Nov 2026 bis 6. Dez 2026 "
        "lief" in german_email.body
    )
    assert english_email.subject == f"{org.organization.name}: Your check-in is due today"
    assert "Tell your manager how 30 Nov 2026 to 6 Dec 2026 went" in english_email.body


def test_a_late_check_in_reminder_names_the_due_day_in_german(kathmandu: OrgPeople) -> None:
    org = german(kathmandu)
    weekly_cadence(org, due_weekday=2, remind_again_after_days=1)  # Wednesday: yesterday
    remind(org, reminders.checkin_due, MOMENT.astimezone(org.organization.zone))
    remind(org, reminders.checkin_overdue, MOMENT.astimezone(org.organization.zone))
    with organization_scope(org.organization):
        due = Notification.objects.get(recipient=org.report, kind="checkin-due")
        overdue = Notification.objects.get(recipient=org.report, kind="checkin-overdue")
    assert due.title == "Ihr Check-in war am Mittwoch, 2. Dezember fällig"
    assert overdue.title == "Ihr Check-in fehlt noch"
    assert overdue.body.startswith("Er war am Mittwoch, 2. Dezember fällig.")


# Plurals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("en", "1 check-in waiting for your review", "2 check-ins waiting for your review"),
        ("de", "1 Check-in wartet auf Ihre Durchsicht", "2 Check-ins warten auf Ihre Durchsicht"),
    ],
)
def test_the_weekly_review_digest_counts_in_the_managers_language(
    kathmandu: OrgPeople, language: str, one: str, two: str
) -> None:
    org = kathmandu
    org.organization.locale = language
    org.organization.save(update_fields=["locale"])
    make_checkin(org.report, submit=True)
    make_checkin(org.report2, submit=True)
    make_checkin(org.hr, submit=True)  # HR reports to the owner
    remind(org, reminders.checkin_review_digest, MOMENT + timedelta(hours=1))
    with organization_scope(org.organization):
        titles = dict(
            Notification.objects.filter(kind="checkin-review-digest").values_list(
                "recipient_id", "title"
            )
        )
    assert titles == {org.owner.pk: one, org.manager.pk: two}
