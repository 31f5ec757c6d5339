"""1:1 pages and the team page through HTTP: htmx partials, kept input, 409s, query counts."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback import services as checkin_services
from feedback.meetings import services
from feedback.meetings.models import ActionItem, OneOnOneSeries, TalkingPoint
from feedback.models import CheckIn, Feedback
from goals.models import Confidence, Visibility
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople
from tests.feedback.factories import make_checkin, make_checkin_for_period, make_feedback
from tests.goals.factories import GoalFactory

from .factories import (
    make_action_item,
    make_meeting,
    make_person,
    make_point,
    make_private_note,
    make_series,
)

pytestmark = pytest.mark.django_db

ClientFor = Callable[[Membership], Client]
HTMX = {"HX-Request": "true"}


def page(org: OrgPeople, name: str, *args: int) -> str:
    return reverse(f"one_on_ones:{name}", args=[org.organization.slug, *args])


def test_a_report_adds_a_talking_point_and_htmx_gets_the_agenda_back(
    org: OrgPeople, client_for: ClientFor
) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    response = client_for(org.report).post(
        page(org, "talking_point_add", meeting.pk), {"text": "Conference budget"}, headers=HTMX
    )
    assert response.status_code == 200
    assert b'id="agenda"' in response.content
    assert b"Conference budget" in response.content
    assert b"<html" not in response.content


def test_without_javascript_adding_a_point_redirects_back_to_the_meeting(
    org: OrgPeople, client_for: ClientFor
) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    response = client_for(org.report).post(
        page(org, "talking_point_add", meeting.pk), {"text": "Conference budget"}
    )
    assert response.status_code == 302
    assert response["Location"] == page(org, "meeting", meeting.pk) + "#agenda"


def test_a_refused_action_item_comes_back_with_what_was_typed(
    org: OrgPeople, client_for: ClientFor
) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    response = client_for(org.manager).post(
        page(org, "action_item_add", meeting.pk),
        {"text": "Draft the hiring plan", "owner": org.report.pk, "due_date": "31/31/2026"},
    )
    assert response.status_code == 400
    assert b"Draft the hiring plan" in response.content
    assert b"Enter a valid date" in response.content
    with organization_scope(org.organization):
        assert not ActionItem.objects.exists()


def test_a_stale_edit_on_the_page_is_a_409_that_keeps_both_texts(
    org: OrgPeople, client_for: ClientFor
) -> None:
    point = make_point(make_meeting(make_series(org.manager, org.report)), org.report, "Draft")
    with organization_scope(org.organization):
        services.talking_point_update(actor=org.manager, point=point, text="Manager's words")
    prefix = f"point-{point.pk}"
    response = client_for(org.report).post(
        page(org, "talking_point_change", point.pk),
        {"action": "edit", f"{prefix}-text": "My own words", f"{prefix}-version": "1"},
        headers=HTMX,
    )
    assert response.status_code == 409
    assert b"My own words" in response.content
    assert b"Manager&#x27;s words" in response.content
    assert b"while you were editing" in response.content
    with organization_scope(org.organization):
        assert TalkingPoint.objects.get(pk=point.pk).text == "Manager's words"


def test_ticking_a_point_discussed_and_moving_it(org: OrgPeople, client_for: ClientFor) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    first = make_point(meeting, org.report, "First")
    second = make_point(meeting, org.report, "Second")
    client = client_for(org.manager)
    client.post(
        page(org, "talking_point_change", first.pk), {"action": "discussed", "discussed": "on"}
    )
    client.post(page(org, "talking_point_change", second.pk), {"action": "up"})
    with organization_scope(org.organization):
        rows = list(TalkingPoint.objects.order_by("position").values_list("text", "discussed"))
    assert rows == [("Second", False), ("First", True)]


def test_the_other_side_never_sees_a_private_note(org: OrgPeople, client_for: ClientFor) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    make_private_note(meeting, org.manager, "Worried about burnout")
    own = client_for(org.manager).get(page(org, "meeting", meeting.pk))
    theirs = client_for(org.report).get(page(org, "meeting", meeting.pk))
    assert b"Worried about burnout" in own.content
    assert theirs.status_code == 200
    assert b"Worried about burnout" not in theirs.content


def test_someone_outside_the_one_on_one_gets_a_404(org: OrgPeople, client_for: ClientFor) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    for outsider in (org.hr, org.owner, org.report2):
        assert client_for(outsider).get(page(org, "meeting", meeting.pk)).status_code == 404


def test_starting_a_one_on_one_from_the_page(org: OrgPeople, client_for: ClientFor) -> None:
    response = client_for(org.colleague).post(
        page(org, "index"),
        {"other": org.report.pk, "cadence": "none", "first_meeting_at": "2030-05-04T10:30"},
    )
    assert response.status_code == 302
    with organization_scope(org.organization):
        series = OneOnOneSeries.objects.get()
        meeting = series.meetings.get()
    assert (series.manager, series.report) == (org.colleague, org.report)
    local = timezone.localtime(meeting.scheduled_for, org.organization.zone)
    assert (local.hour, local.minute) == (10, 30)


def test_a_bad_start_form_comes_back_filled_in(org: OrgPeople, client_for: ClientFor) -> None:
    response = client_for(org.colleague).post(
        page(org, "index"),
        {"other": org.report.pk, "cadence": "hourly", "first_meeting_at": "2030-05-04T10:30"},
    )
    assert response.status_code == 400
    assert b'value="2030-05-04T10:30"' in response.content
    assert b"Select a valid choice" in response.content


def test_a_marked_done_meeting_shows_its_open_action_items_in_the_next_one(
    org: OrgPeople, client_for: ClientFor
) -> None:
    meeting = make_meeting(make_series(org.manager, org.report, cadence="weekly"), days_from_now=-1)
    make_action_item(meeting, org.report, "Send the summary")
    client = client_for(org.manager)
    response = client.post(page(org, "meeting_status", meeting.pk), {"action": "done"})
    assert response.status_code == 302
    with organization_scope(org.organization):
        following = meeting.series.meetings.exclude(pk=meeting.pk).get()
    assert b"Send the summary" in client.get(page(org, "meeting", following.pk)).content


# Query counts ---------------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_meeting_page_runs_the_same_queries_for_5_and_50_points_and_items(
    org: OrgPeople, client_for: ClientFor
) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    client, url = client_for(org.manager), page(org, "meeting", meeting.pk)

    def add(count: int) -> None:
        for number in range(count):
            make_point(meeting, org.report if number % 2 else org.manager, f"Point {number}")
            make_action_item(meeting, org.report, f"Item {number}")
            make_private_note(meeting, org.manager, f"Note {number}")

    add(5)
    small = _queries(client, url)
    add(45)
    assert _queries(client, url) == small


def test_the_list_of_one_on_ones_runs_the_same_queries_for_5_and_50(
    org: OrgPeople, client_for: ClientFor
) -> None:
    client, url = client_for(org.manager), page(org, "index")

    def add(count: int) -> None:
        for _ in range(count):
            person = make_person(org.organization)
            make_action_item(make_meeting(make_series(org.manager, person)), person)

    add(5)
    small = _queries(client, url)
    add(45)
    assert _queries(client, url) == small


def _team(org: OrgPeople, count: int) -> None:
    """Reports with a held 1:1, an open item, a check-in, feedback both ways and a goal at
    risk each: every column of the team page has rows to read."""
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday() + 7)
    for _ in range(count):
        person = make_person(org.organization, manager=org.manager)
        series = make_series(org.manager, person)
        held = make_meeting(series, days_from_now=-3)
        make_action_item(held, person)
        with organization_scope(org.organization):
            services.meeting_complete(actor=org.manager, meeting=held)
        make_checkin_for_period(person, monday)
        make_feedback(person, org.report)
        make_feedback(org.report, person)
        GoalFactory(
            organization=org.organization,
            owner_person=person,
            last_confidence=Confidence.AT_RISK,
            last_update_at=timezone.now(),
        )


def test_the_team_page_runs_the_same_queries_for_a_team_of_5_and_of_50(
    org: OrgPeople, client_for: ClientFor
) -> None:
    client = client_for(org.manager)
    url = reverse("team:overview", args=[org.organization.slug])
    _team(org, 3)  # org.manager already has two reports
    small = _queries(client, url)
    _team(org, 45)
    with organization_scope(org.organization):
        assert Membership.objects.filter(manager=org.manager).count() == 50
    assert _queries(client, url) == small


def test_the_team_page_shows_days_since_the_last_one_on_one_and_open_items(
    org: OrgPeople, client_for: ClientFor
) -> None:
    series = make_series(org.manager, org.report)
    held = make_meeting(series, when=timezone.now() - timedelta(days=4))
    make_action_item(held, org.report, "Open thing")
    with organization_scope(org.organization):
        services.meeting_complete(actor=org.manager, meeting=held)
    response = client_for(org.manager).get(reverse("team:overview", args=[org.organization.slug]))
    row = response.content.decode().split(org.report.display_name, 1)[1].split("</tr>", 1)[0]
    assert "4 days ago" in row
    assert "<td>1</td>" in row
    other = response.content.decode().split(org.report2.display_name, 1)[1].split("</tr>", 1)[0]
    assert "Never" in other


def test_someone_without_reports_sees_an_empty_team_page(
    org: OrgPeople, client_for: ClientFor
) -> None:
    response = client_for(org.report).get(reverse("team:overview", args=[org.organization.slug]))
    assert response.status_code == 200
    assert b"Nobody reports to you" in response.content


def test_the_author_edits_a_private_note_and_nobody_else_can(
    org: OrgPeople, client_for: ClientFor
) -> None:
    note = make_private_note(make_meeting(make_series(org.manager, org.report)), org.manager)
    data = {f"note-{note.pk}-text": "Sharper wording", f"note-{note.pk}-version": "1"}
    url = page(org, "private_note_change", note.pk)
    assert client_for(org.report).post(url, data).status_code == 404
    response = client_for(org.manager).post(url, data, headers=HTMX)
    assert response.status_code == 200
    assert b"Sharper wording" in response.content
    stale = client_for(org.manager).post(
        url, {f"note-{note.pk}-text": "Old tab", f"note-{note.pk}-version": "1"}, headers=HTMX
    )
    assert stale.status_code == 409
    assert b"Old tab" in stale.content


def test_stale_shared_notes_on_the_page_keep_what_was_typed(
    org: OrgPeople, client_for: ClientFor
) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    url = page(org, "shared_notes", meeting.pk)
    saved = client_for(org.manager).post(url, {"shared_notes": "We agreed A", "version": "1"})
    assert saved.status_code == 302
    stale = client_for(org.report).post(
        url, {"shared_notes": "We agreed B", "version": "1"}, headers=HTMX
    )
    assert stale.status_code == 409
    assert b"We agreed B" in stale.content
    assert b"We agreed A" in stale.content
    with organization_scope(org.organization):
        meeting.refresh_from_db()
    assert meeting.shared_notes == "We agreed A"


def test_the_series_page_runs_the_same_queries_for_5_and_50_meetings(
    org: OrgPeople, client_for: ClientFor
) -> None:
    series = make_series(org.manager, org.report, cadence="none")
    client, url = client_for(org.report), page(org, "series", series.pk)

    def add(start: int, count: int) -> None:
        for day in range(start, start + count):
            meeting = make_meeting(series, days_from_now=day + 1)
            make_action_item(meeting, org.report, f"Item {day}")

    add(0, 5)
    small = _queries(client, url)
    add(5, 45)
    assert _queries(client, url) == small


def test_the_page_polls_a_section_alone_with_htmx(org: OrgPeople, client_for: ClientFor) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    make_point(meeting, org.manager, "Added by the other side")
    url = page(org, "meeting", meeting.pk)
    full = client_for(org.report).get(url)
    assert b"?section=agenda" in full.content
    assert b'data-poll-when-idle="agenda"' in full.content
    response = client_for(org.report).get(url, {"section": "agenda"}, headers=HTMX)
    assert response.status_code == 200
    assert response.content.lstrip().startswith(b'<section id="agenda"')
    assert b"Added by the other side" in response.content


def test_only_the_author_removes_a_talking_point(org: OrgPeople, client_for: ClientFor) -> None:
    point = make_point(make_meeting(make_series(org.manager, org.report)), org.report, "Mine")
    url = page(org, "talking_point_change", point.pk)
    refused = client_for(org.manager).post(url, {"action": "remove"}, headers=HTMX)
    assert refused.status_code == 403
    assert b"Only the author" in refused.content
    assert client_for(org.report).post(url, {"action": "remove"}).status_code == 302
    with organization_scope(org.organization):
        assert not TalkingPoint.objects.exists()


def test_meeting_times_are_shown_on_the_organizations_clock(
    org: OrgPeople, client_for: ClientFor
) -> None:
    from datetime import UTC, datetime

    meeting = make_meeting(
        make_series(org.manager, org.report), when=datetime(2030, 1, 7, 9, 0, tzinfo=UTC)
    )
    html = client_for(org.report).get(page(org, "meeting", meeting.pk)).content.decode()
    # Europe/Berlin, UTC+1 in winter, in the product's one format.
    assert ">7 Jan 2030, 10:00</time>" in html


def test_moving_a_meeting_on_the_page_uses_the_organizations_clock(
    org: OrgPeople, client_for: ClientFor
) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    url = page(org, "meeting_status", meeting.pk)
    moved = client_for(org.report).post(
        url, {"action": "move", "scheduled_for": "2030-03-04T15:00"}, headers=HTMX
    )
    assert moved.status_code == 200
    assert b'value="2030-03-04T15:00"' in moved.content
    with organization_scope(org.organization):
        meeting.refresh_from_db()
    local = timezone.localtime(meeting.scheduled_for, org.organization.zone)
    assert (local.date().isoformat(), local.hour) == ("2030-03-04", 15)
    refused = client_for(org.report).post(url, {"action": "move", "scheduled_for": "soon"})
    assert refused.status_code == 400
    assert b'value="soon"' in refused.content


def test_a_talking_point_links_only_to_goals_and_feedback_the_reader_may_read(
    org: OrgPeople, client_for: ClientFor
) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    own = GoalFactory.create(organization=org.organization, owner_person=org.report, title="Mine")
    GoalFactory.create(
        organization=org.organization,
        owner_person=org.manager,
        visibility=Visibility.OWNER_AND_MANAGERS,
        title="Manager's private goal",
    )
    note = make_feedback(org.manager, org.report, Feedback.Visibility.MANAGER_ONLY)
    given = make_feedback(org.report, org.manager, Feedback.Visibility.PRIVATE)

    as_report = client_for(org.report).get(page(org, "meeting", meeting.pk)).content.decode()
    as_manager = client_for(org.manager).get(page(org, "meeting", meeting.pk)).content.decode()

    # Each choice within its own select: a goal and a feedback may share an id.
    assert f'value="{own.pk}"' in _select(as_report, "goal")
    assert "Manager&#x27;s private goal" not in as_report
    assert "Manager&#x27;s private goal" in as_manager
    assert f'value="{given.pk}"' in _select(as_report, "feedback")
    assert f'value="{note.pk}"' not in _select(as_report, "feedback")
    assert f'value="{note.pk}"' in _select(as_manager, "feedback")


def _select(html: str, name: str) -> str:
    """The options of the page's select named `name`."""
    found = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert found is not None, name
    return found.group(0)


def test_linkable_feedback_is_named_by_its_date_on_the_organizations_clock(
    org: OrgPeople, client_for: ClientFor
) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    feedback = make_feedback(org.manager, org.report)
    late_evening_utc = datetime(2026, 1, 1, 23, 30, tzinfo=UTC)  # 2 January in Berlin
    with organization_scope(org.organization):
        Feedback.objects.filter(pk=feedback.pk).update(created_at=late_evening_utc)

    html = client_for(org.report).get(page(org, "meeting", meeting.pk)).content.decode()

    assert "2 Jan 2026 from Max Manager" in html
    assert "1 Jan 2026" not in html


def test_the_team_page_shows_when_the_last_check_in_was_submitted_not_its_period_end(
    org: OrgPeople, client_for: ClientFor
) -> None:
    # Last week's check-in, written late, comes in after this week's: the latest submitted
    # is last week's. 23:30 UTC on Thursday is already Friday 20 November in Berlin.
    with time_machine.travel(datetime(2026, 11, 18, 9, 0, tzinfo=UTC)):
        make_checkin(org.report, submit=True)  # the week of 16-22 November
    make_checkin_for_period(org.report, date(2026, 11, 9), submit=False)
    with organization_scope(org.organization):
        late = CheckIn.objects.get(person=org.report, period_start=date(2026, 11, 9))
    with (
        time_machine.travel(datetime(2026, 11, 19, 23, 30, tzinfo=UTC)),
        organization_scope(org.organization),
    ):
        checkin_services.checkin_submit(
            actor=org.report, checkin=late, answers=["Late, sorry", "", ""], score=2
        )
    response = client_for(org.manager).get(reverse("team:overview", args=[org.organization.slug]))
    row = response.content.decode().split(org.report.display_name, 1)[1].split("</td>", 1)[0]
    assert "20 Nov" in row
    assert "score 2/5" in row
    assert "15 Nov" not in row  # the late check-in's period end
    assert "22 Nov" not in row  # this week's period end, still to come
