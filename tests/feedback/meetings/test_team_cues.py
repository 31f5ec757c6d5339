"""The team page's small visual cues (issue 10 item 13): each report's latest check-in
score, overdue action items and days since the last 1:1, as bars and badges that are
also written out, from annotations in the selector: the statements are the same for a
team of 3 and of 33."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from feedback.meetings import services
from feedback.meetings.models import ActionItem
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.bulk import bulk_people
from tests.conftest import OrgPeople
from tests.feedback.factories import make_checkin

from .factories import make_action_item, make_meeting, make_series

pytestmark = pytest.mark.django_db

ClientFor = Callable[[Membership], Client]
TEAM = "/o/acme/team/"


def row_of(html: str, person: Membership) -> str:
    return html.split(person.display_name, 1)[1].split("</tr>", 1)[0]


def held_one_on_one(manager: Membership, report: Membership, days_ago: int) -> None:
    meeting = make_meeting(
        make_series(manager, report), when=timezone.now() - timedelta(days=days_ago)
    )
    item = make_action_item(meeting, report, "Send the plan")
    with organization_scope(manager.organization):
        services.meeting_complete(actor=manager, meeting=meeting)
        ActionItem.objects.filter(pk=item.pk).update(
            due_date=timezone.localdate() - timedelta(days=2)
        )


def test_each_report_shows_score_overdue_items_and_days_since_the_last_one_on_one(
    org: OrgPeople, client_for: ClientFor
) -> None:
    make_checkin(org.report, submit=True, score=2)
    held_one_on_one(org.manager, org.report, days_ago=40)

    html = client_for(org.manager).get(TEAM).content.decode()
    report, report2 = row_of(html, org.report), row_of(html, org.report2)

    assert '<span class="cue cue-score-2">' in report
    assert "score 2/5" in report  # the bar's words
    assert '<span class="cue-fill cue-fill-2">' in report
    assert "40 days ago" in report
    assert '<span class="cue cue-overdue">' in report
    assert "1:1 overdue" in report
    assert "1 overdue</span>" in report  # the action item, due two days ago
    assert "None yet" in report2
    assert "Never" in report2
    assert '<span class="cue cue-never">' in report2


def test_a_recent_one_on_one_reads_as_recent_and_one_due_soon_as_due(
    org: OrgPeople, client_for: ClientFor
) -> None:
    held_one_on_one(org.manager, org.report, days_ago=3)
    held_one_on_one(org.manager, org.report2, days_ago=20)

    html = client_for(org.manager).get(TEAM).content.decode()

    assert '<span class="cue cue-recent">' in row_of(html, org.report)
    assert "1:1 due" not in row_of(html, org.report)
    assert '<span class="cue cue-due">' in row_of(html, org.report2)
    assert "1:1 due" in row_of(html, org.report2)


def test_the_bars_are_hidden_from_screen_readers_which_hear_the_words(
    org: OrgPeople, client_for: ClientFor
) -> None:
    make_checkin(org.report, submit=True, score=5)

    html = client_for(org.manager).get(TEAM).content.decode()

    bars = re.findall(r'<span class="cue-bar"([^>]*)>', html)
    assert len(bars) == 3  # one score and two 1:1 bars
    assert all('aria-hidden="true"' in bar for bar in bars)


def statements(client: Client) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(TEAM)
    assert response.status_code == 200
    # The same statement with other ids or dates reads the same once numbers are blanked.
    return [re.sub(r"'[^']*'|\d+", "?", query["sql"]) for query in captured.captured_queries]


def test_no_statement_grows_with_the_team(org: OrgPeople, client_for: ClientFor) -> None:
    client = client_for(org.manager)
    make_checkin(org.report, submit=True)
    client.get(TEAM)
    small = statements(client)
    with organization_scope(org.organization):
        bulk_people(org.organization, count=30, manager=org.manager)

    large = statements(client)

    assert large == small
