"""Dates in the past are refused with a clear field error, on the page and the API, unless
a 1:1 is recorded as having taken place; a meeting whose time has passed is never called
upcoming. "Today" is the organization's (Europe/Berlin).

The clock stands at 15:00 in Berlin on Wednesday 18 November 2026.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from feedback.meetings import services
from feedback.meetings.models import ActionItem, Meeting, OneOnOneSeries
from perfmgmt.errors import DomainError
from perfmgmt.notifications.models import Notification
from perfmgmt.notifications.sweep import run_sweep
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople

from .factories import make_meeting, make_series

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 18, 14, 0, tzinfo=UTC)  # 15:00 in Berlin
NEW_YEAR_2020 = datetime(2020, 1, 1, 9, 0, tzinfo=UTC)
PAST_MESSAGE = "That day has passed: choose a time from today on, or say it already took place."
PAST_DUE = "That day has passed: choose today or a later day."


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW):
        yield


def test_a_first_meeting_in_2020_is_refused_and_no_series_is_started(org: OrgPeople) -> None:
    with organization_scope(org.organization):
        with pytest.raises(DomainError) as error:
            services.series_start(
                actor=org.manager, other=org.report, first_meeting_at=NEW_YEAR_2020
            )
        assert error.value.fields == {"first_meeting_at": [PAST_MESSAGE]}
        assert not OneOnOneSeries.objects.exists()


def test_yesterday_in_berlin_is_the_past_even_when_it_is_still_that_day_in_utc(
    org: OrgPeople,
) -> None:
    series = make_series(org.manager, org.report)
    just_after_midnight = datetime(2026, 11, 17, 23, 30, tzinfo=UTC)  # Wed 00:30 in Berlin
    with time_machine.travel(just_after_midnight), organization_scope(org.organization):
        with pytest.raises(DomainError) as error:
            services.meeting_schedule(
                actor=org.manager,
                series=series,
                scheduled_for=datetime(2026, 11, 17, 18, 0, tzinfo=UTC),  # Tue 19:00
            )
        assert error.value.fields == {"scheduled_for": [PAST_MESSAGE]}
        # Earlier the same day (Berlin) is accepted: a 1:1 being held now, or this morning.
        services.meeting_schedule(
            actor=org.manager,
            series=series,
            scheduled_for=datetime(2026, 11, 17, 23, 15, tzinfo=UTC),  # Wed 00:15
        )


def test_a_past_1_1_can_be_recorded_when_it_is_said_to_have_taken_place(org: OrgPeople) -> None:
    series = make_series(org.manager, org.report)
    last_week = NOW - timedelta(days=7)
    with organization_scope(org.organization):
        meeting = services.meeting_schedule(
            actor=org.manager, series=series, scheduled_for=last_week, confirm_past=True
        )
    assert meeting.scheduled_for == last_week
    assert meeting.has_passed
    assert meeting.status_label == "Not marked done yet"


def test_moving_a_meeting_into_the_past_is_refused(org: OrgPeople) -> None:
    meeting = make_meeting(make_series(org.manager, org.report), days_from_now=2)
    with organization_scope(org.organization):
        with pytest.raises(DomainError) as error:
            services.meeting_reschedule(
                actor=org.manager, meeting=meeting, scheduled_for=NEW_YEAR_2020
            )
        assert error.value.fields == {"scheduled_for": [PAST_MESSAGE]}
        meeting.refresh_from_db()
    assert meeting.scheduled_for > NOW


def test_an_action_item_due_in_2020_is_refused_and_nobody_is_told_it_is_overdue(
    org: OrgPeople,
) -> None:
    meeting = make_meeting(make_series(org.manager, org.report), days_from_now=2)
    with organization_scope(org.organization):
        with pytest.raises(DomainError) as error:
            services.action_item_create(
                actor=org.manager,
                meeting=meeting,
                owner=org.report,
                text="Write the runbook",
                due_date=date(2020, 3, 1),
            )
        assert error.value.fields == {"due_date": [PAST_DUE]}
        assert not ActionItem.objects.exists()
        services.action_item_create(
            actor=org.manager,
            meeting=meeting,
            owner=org.report,
            text="Write the runbook",
            due_date=date(2026, 11, 18),  # today is fine
        )
    run_sweep(organization=org.organization, now=NOW)
    with organization_scope(org.organization):
        assert not Notification.objects.filter(kind="action-item-overdue").exists()


def test_an_item_of_a_meeting_that_took_place_may_be_due_after_that_meeting(
    org: OrgPeople,
) -> None:
    series = make_series(org.manager, org.report)
    with organization_scope(org.organization):
        held = services.meeting_schedule(
            actor=org.manager,
            series=series,
            scheduled_for=NOW - timedelta(days=5),
            confirm_past=True,
        )
        item = services.action_item_create(
            actor=org.manager,
            meeting=held,
            owner=org.report,
            text="Send the notes",
            due_date=(NOW - timedelta(days=2)).date(),
        )
        with pytest.raises(DomainError):
            services.action_item_create(
                actor=org.manager,
                meeting=held,
                owner=org.report,
                text="Before the meeting?",
                due_date=(NOW - timedelta(days=6)).date(),
            )
        # Editing an overdue item's text keeps its date; moving it into the past is refused.
        services.action_item_update(
            actor=org.manager, item=item, text="Send the notes to both", due_date=item.due_date
        )
        with pytest.raises(DomainError) as error:
            services.action_item_update(
                actor=org.manager, item=item, due_date=date(2020, 1, 1), expected_version=2
            )
        assert error.value.fields == {"due_date": [PAST_DUE]}


def test_the_start_page_refuses_a_first_meeting_in_2020_and_keeps_what_was_typed(
    org: OrgPeople, client_for: Callable[[Membership], Client]
) -> None:
    response = client_for(org.manager).post(
        reverse("one_on_ones:index", args=[org.organization.slug]),
        {"other": org.report.pk, "cadence": "weekly", "first_meeting_at": "2020-01-01T10:00"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert PAST_MESSAGE in html
    assert 'value="2020-01-01T10:00"' in html
    with organization_scope(org.organization):
        assert not OneOnOneSeries.objects.exists()


def test_the_api_refuses_past_dates_naming_the_field(
    org: OrgPeople, api_as: Callable[[Membership], APIClient]
) -> None:
    base = f"/api/v1/orgs/{org.organization.slug}/one-on-ones"
    client = api_as(org.manager)
    response = client.post(
        f"{base}/series/",
        {"with_person": org.report.pk, "first_meeting_at": NEW_YEAR_2020.isoformat()},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"first_meeting_at": [PAST_MESSAGE]}
    meeting = make_meeting(make_series(org.manager, org.report), days_from_now=1)
    response = client.post(
        f"{base}/action-items/",
        {"meeting": meeting.pk, "owner": org.report.pk, "text": "x", "due_date": "2020-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"due_date": [PAST_DUE]}
    confirmed = client.post(
        f"{base}/meetings/",
        {
            "series": meeting.series_id,
            "scheduled_for": (NOW - timedelta(days=3)).isoformat(),
            "confirm_past": True,
        },
        format="json",
    )
    assert confirmed.status_code == 201, confirmed.json()


def test_a_meeting_whose_time_has_passed_is_not_called_upcoming(
    org: OrgPeople, client_for: Callable[[Membership], Client]
) -> None:
    series = make_series(org.manager, org.report)
    with organization_scope(org.organization):
        past = services.meeting_schedule(
            actor=org.manager,
            series=series,
            scheduled_for=NOW - timedelta(days=3),
            confirm_past=True,
        )
    client = client_for(org.manager)
    slug = org.organization.slug
    series_page = client.get(reverse("one_on_ones:series", args=[slug, series.pk])).content
    assert b"Not marked done yet" in series_page
    assert b">Upcoming<" not in series_page
    meeting_page = client.get(reverse("one_on_ones:meeting", args=[slug, past.pk])).content
    assert b"Not marked done yet" in meeting_page
    index = client.get(reverse("one_on_ones:index", args=[slug])).content.decode()
    row = index.split(org.report.display_name, 1)[1].split("</tr>", 1)[0]
    assert "None scheduled" in row
    with organization_scope(org.organization):
        assert Meeting.objects.get(pk=past.pk).status == Meeting.Status.UPCOMING
