"""1:1 pages, the team page and 1:1 reminders in the reader's language and on the reader's
clock, in the product's one format.

The organization is in Asia/Kathmandu (UTC+05:45); notes are written at 20:11 UTC (01:56 the
next day there) and the meeting is a week later at the same instant.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from feedback.meetings import reminders, services
from feedback.meetings.models import Meeting
from perfmgmt.notifications import services as notifications
from perfmgmt.notifications.models import Notification
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, Organization
from tests.conftest import OrgPeople

from .factories import make_action_item, make_meeting, make_point, make_private_note, make_series

pytestmark = pytest.mark.django_db

ClientFor = Callable[[Membership], Client]
MOMENT = datetime(2026, 12, 2, 20, 11, tzinfo=UTC)  # 3 Dec 2026, 01:56 in Kathmandu
MEETING = MOMENT + timedelta(days=7)  # 10 Dec 2026, 01:56 in Kathmandu


def page(org: OrgPeople, name: str, *args: int) -> str:
    return reverse(f"one_on_ones:{name}", args=[org.organization.slug, *args])


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
    org.organization.time_zone = "Asia/Kathmandu"
    org.organization.save(update_fields=["time_zone"])
    with time_machine.travel(MOMENT, tick=False):
        yield org


@pytest.fixture
def meeting(kathmandu: OrgPeople) -> Meeting:
    """Next week's 1:1 of the manager and their report: a point, an action item due on the
    20th, and a private note of the manager's written now."""
    org = kathmandu
    meeting = make_meeting(make_series(org.manager, org.report), when=MEETING)
    make_point(meeting, org.report, "Conference budget")
    make_action_item(meeting, org.report, "Book the venue", due_date=date(2026, 12, 20))
    make_private_note(meeting, org.manager, "Ask about the move")
    return meeting


def german(org: OrgPeople) -> OrgPeople:
    org.organization.locale = "de"
    org.organization.save(update_fields=["locale"])
    return org


def test_the_meeting_and_private_notes_show_one_clock_in_one_format(
    kathmandu: OrgPeople, meeting: Meeting, client_for: ClientFor
) -> None:
    org = kathmandu
    text = html(client_for(org.manager), page(org, "meeting", meeting.pk))
    assert '<time datetime="2026-12-10T01:56:00+05:45">10 Dec 2026, 01:56</time>' in text
    assert 'Ask about the move <span class="muted">· 3 Dec 2026, 01:56</span>' in text
    assert "due 20 Dec 2026" in text
    assert "20:11" not in text


def test_the_list_of_1_1s_and_the_series_show_the_next_meeting_on_the_local_clock(
    kathmandu: OrgPeople, meeting: Meeting, client_for: ClientFor
) -> None:
    org = kathmandu
    client = client_for(org.report)
    for url in (page(org, "index"), page(org, "series", meeting.series_id)):
        text = html(client, url)
        assert ">10 Dec 2026, 01:56</time>" in text
        assert "20:11" not in text


def test_a_person_with_their_own_time_zone_reads_every_time_on_their_clock(
    kathmandu: OrgPeople, meeting: Meeting, client_for: ClientFor
) -> None:
    org = kathmandu
    org.manager.user.time_zone = "America/New_York"  # UTC-5 in December
    org.manager.user.save(update_fields=["time_zone"])
    text = html(client_for(org.manager), page(org, "meeting", meeting.pk))
    assert ">9 Dec 2026, 15:11</time>" in text
    assert "· 2 Dec 2026, 15:11</span>" in text  # the private note
    assert "Dec 2026, 01:56" not in text
    # Typing a new time still happens on the organization's clock, and the page says so.
    assert "Times are in Asia/Kathmandu." in text
    assert 'value="2026-12-10T01:56"' in text


def test_a_german_organization_holds_its_1_1s_in_german(
    kathmandu: OrgPeople, meeting: Meeting, client_for: ClientFor
) -> None:
    org = german(kathmandu)
    text = html(client_for(org.manager), page(org, "meeting", meeting.pk))
    assert '<html lang="de">' in text
    assert ">10. Dez 2026, 01:56</time>" in text
    assert "1:1-Gespräch am" in text
    for words in ("Geplant", "Gesprächspunkt hinzufügen", "Private Notizen", "fällig am 20. Dez"):
        assert words in text
    assert "Talking point" not in text
    index = html(client_for(org.report), page(org, "index"))
    assert "Jede Woche" in index  # the series' cadence
    assert ">10. Dez 2026, 01:56</time>" in index


# Plurals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "one", "three"),
    [("en", "1 day ago", "3 days ago"), ("de", "vor 1 Tag", "vor 3 Tagen")],
)
def test_the_team_page_counts_days_since_the_last_1_1_in_the_readers_language(
    kathmandu: OrgPeople, client_for: ClientFor, language: str, one: str, three: str
) -> None:
    org = kathmandu
    org.organization.locale = language
    org.organization.save(update_fields=["locale"])
    for report, days in ((org.report, 1), (org.report2, 3)):
        held = MOMENT - timedelta(days=days, hours=1)
        with time_machine.travel(held - timedelta(days=1), tick=False):
            past = make_meeting(make_series(org.manager, report), when=held)
        with organization_scope(org.organization):
            services.meeting_complete(actor=org.manager, meeting=past)
    text = html(client_for(org.manager), reverse("team:overview", args=[org.organization.slug]))
    assert one in text
    assert three in text


# Reminders ------------------------------------------------------------------------------


def test_the_1_1_reminder_email_is_german_with_the_time_on_the_local_clock(
    kathmandu: OrgPeople, meeting: Meeting
) -> None:
    org = german(kathmandu)
    org.manager.user.language = "en"  # a person's own choice comes first
    org.manager.user.save(update_fields=["language"])
    day_before = MEETING - timedelta(hours=12)  # 9 Dec, 13:56 in Kathmandu
    remind(org, reminders.one_on_one_tomorrow, day_before)
    with organization_scope(org.organization):
        sent = list(Notification.objects.filter(kind="one-on-one-prepare").order_by("id"))
        assert len(sent) == 2
        for note in sent:
            assert notifications.email_send(notification_id=note.pk) == "sent"
    emails = {message.to[0]: message for message in mail.outbox}
    report, manager = emails[org.report.user.email], emails[org.manager.user.email]
    name = org.organization.name
    assert report.subject == (
        f"{name}: 1:1-Gespräch mit {org.manager.display_name} morgen um 01:56"
    )
    assert "Tragen Sie Ihre Gesprächspunkte in die gemeinsame Agenda ein" in report.body
    assert manager.subject == f"{name}: 1:1 with {org.report.display_name} tomorrow at 01:56"
    assert "20:11" not in report.subject + report.body


def test_an_overdue_action_item_is_reminded_in_german_with_the_local_day(
    kathmandu: OrgPeople, meeting: Meeting
) -> None:
    org = german(kathmandu)
    with time_machine.travel(MOMENT - timedelta(days=7), tick=False):  # agreed last week
        item = make_action_item(meeting, org.report, "Send the slides", due_date=date(2026, 12, 1))
    remind(org, reminders.action_items_overdue, MOMENT)
    with organization_scope(org.organization):
        note = Notification.objects.get(kind="action-item-overdue", key__endswith=":2026-12-01")
    assert note.key.startswith(f"action-item-overdue:{item.pk}:")
    assert note.title == "Überfällig seit 1. Dez 2026: Send the slides"
    assert note.body == (
        f"Eine Aufgabe aus Ihrem 1:1-Gespräch mit {org.manager.display_name}. "
        "Haken Sie sie ab, wenn sie erledigt ist."
    )
