"""1:1s over the REST API: visibility, private notes, validation, conflicts, query counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from feedback.meetings.models import Meeting, PrivateNote, TalkingPoint
from perfmgmt.api.models import Scope
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople

from .factories import (
    make_action_item,
    make_meeting,
    make_person,
    make_point,
    make_private_note,
    make_series,
)

pytestmark = pytest.mark.django_db

ApiAs = Callable[[Membership], APIClient]


def url(org: OrgPeople, resource: str, pk: int | None = None) -> str:
    base = f"/api/v1/orgs/{org.organization.slug}/one-on-ones/{resource}/"
    return f"{base}{pk}/" if pk is not None else base


def error_fields(response: Any) -> dict[str, list[str]]:
    return response.json()["error"]["fields"]


def test_a_report_lists_only_their_own_series(org: OrgPeople, api_as: ApiAs) -> None:
    mine = make_series(org.manager, org.report)
    make_series(org.manager, org.report2)
    response = api_as(org.report).get(url(org, "series"))
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]


def test_starting_a_series_over_the_api_schedules_the_first_meeting(
    org: OrgPeople, api_as: ApiAs
) -> None:
    when = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    response = api_as(org.manager).post(
        url(org, "series"),
        {"with_person": org.report.pk, "cadence": "biweekly", "first_meeting_at": when.isoformat()},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["report"] == org.report.pk
    meetings = api_as(org.report).get(url(org, "meetings"), {"series": response.json()["id"]})
    assert [row["scheduled_for"] for row in meetings.json()["results"]] != []


def test_a_series_with_a_person_of_another_organization_is_a_field_error(
    org: OrgPeople, other_org: OrgPeople, api_as: ApiAs
) -> None:
    response = api_as(org.manager).post(
        url(org, "series"), {"with_person": other_org.report.pk}, format="json"
    )
    assert response.status_code == 400
    assert error_fields(response) == {"with_person": ["Unknown person."]}


def test_hr_cannot_read_a_one_on_one_they_are_not_part_of(org: OrgPeople, api_as: ApiAs) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    assert api_as(org.hr).get(url(org, "meetings", meeting.pk)).status_code == 404
    assert api_as(org.report).get(url(org, "meetings", meeting.pk)).status_code == 200


def test_both_sides_add_talking_points_and_neither_is_lost(org: OrgPeople, api_as: ApiAs) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    for member, text in ((org.report, "Workload"), (org.manager, "Promotion path")):
        response = api_as(member).post(
            url(org, "talking-points"), {"meeting": meeting.pk, "text": text}, format="json"
        )
        assert response.status_code == 201
    listed = api_as(org.manager).get(url(org, "talking-points"), {"meeting": meeting.pk})
    assert [row["text"] for row in listed.json()["results"]] == ["Workload", "Promotion path"]


def test_a_stale_talking_point_edit_gets_a_409_with_a_clear_message(
    org: OrgPeople, api_as: ApiAs
) -> None:
    point = make_point(make_meeting(make_series(org.manager, org.report)), org.report, "Draft")
    first = api_as(org.manager).patch(
        url(org, "talking-points", point.pk), {"text": "Edited", "version": 1}, format="json"
    )
    assert first.status_code == 200
    assert first.json()["version"] == 2
    stale = api_as(org.report).patch(
        url(org, "talking-points", point.pk), {"text": "Mine", "version": 1}, format="json"
    )
    assert stale.status_code == 409
    assert "while you were editing" in stale.json()["error"]["message"]
    with organization_scope(org.organization):
        assert TalkingPoint.objects.get(pk=point.pk).text == "Edited"


def test_an_empty_talking_point_is_a_400_and_nothing_is_saved(
    org: OrgPeople, api_as: ApiAs
) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    response = api_as(org.report).post(
        url(org, "talking-points"), {"meeting": meeting.pk, "text": "  "}, format="json"
    )
    assert response.status_code == 400
    assert "text" in error_fields(response)
    with organization_scope(org.organization):
        assert not TalkingPoint.objects.exists()


def test_a_talking_point_for_a_meeting_one_is_not_part_of_is_a_field_error(
    org: OrgPeople, api_as: ApiAs
) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    response = api_as(org.colleague).post(
        url(org, "talking-points"), {"meeting": meeting.pk, "text": "Hi"}, format="json"
    )
    assert response.status_code == 400
    assert error_fields(response) == {"meeting": ["Unknown meeting."]}


def test_ticking_an_action_item_and_filtering_open_ones(org: OrgPeople, api_as: ApiAs) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    item = make_action_item(meeting, org.report, "Write the doc")
    make_action_item(meeting, org.manager, "Book the room")
    response = api_as(org.manager).patch(
        url(org, "action-items", item.pk), {"done": True}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["done"] is True
    open_items = api_as(org.report).get(url(org, "action-items"), {"done": "false"})
    assert [row["text"] for row in open_items.json()["results"]] == ["Book the room"]


def test_an_action_item_owner_outside_the_one_on_one_is_a_field_error(
    org: OrgPeople, api_as: ApiAs
) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    response = api_as(org.manager).post(
        url(org, "action-items"),
        {"meeting": meeting.pk, "owner": org.hr.pk, "text": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert "owner" in error_fields(response)


def test_private_notes_never_appear_in_anyone_elses_response(
    org: OrgPeople, api_as: ApiAs, api_with_key: Callable[..., APIClient]
) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    note = make_private_note(meeting, org.manager, "Seems tired lately")
    key = api_with_key(org, scopes=[scope.value for scope in Scope])
    for client in (api_as(org.report), api_as(org.hr), api_as(org.owner)):
        assert client.get(url(org, "private-notes")).json()["results"] == []
        assert client.get(url(org, "private-notes", note.pk)).status_code == 404
        patch = client.patch(url(org, "private-notes", note.pk), {"text": "x"}, format="json")
        assert patch.status_code == 404
    assert key.get(url(org, "private-notes")).status_code == 403
    assert key.get(url(org, "private-notes", note.pk)).status_code == 403
    for client in (api_as(org.report), key):
        for resource in ("meetings", "talking-points", "action-items", "series"):
            assert b"Seems tired" not in client.get(url(org, resource)).content
    own = api_as(org.manager).get(url(org, "private-notes"), {"meeting": meeting.pk})
    assert [row["text"] for row in own.json()["results"]] == ["Seems tired lately"]


def test_the_author_edits_a_private_note_with_its_version(org: OrgPeople, api_as: ApiAs) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    created = api_as(org.manager).post(
        url(org, "private-notes"), {"meeting": meeting.pk, "text": "First"}, format="json"
    )
    assert created.status_code == 201
    note_id = created.json()["id"]
    edited = api_as(org.manager).patch(
        url(org, "private-notes", note_id), {"text": "Second", "version": 1}, format="json"
    )
    assert edited.status_code == 200
    assert edited.json()["version"] == 2
    stale = api_as(org.manager).patch(
        url(org, "private-notes", note_id), {"text": "Third", "version": 1}, format="json"
    )
    assert stale.status_code == 409
    with organization_scope(org.organization):
        assert PrivateNote.objects.get(pk=note_id).text == "Second"


def test_an_api_key_reads_one_on_ones_but_cannot_change_them(
    org: OrgPeople, api_with_key: Callable[..., APIClient]
) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    key = api_with_key(org, scopes=[Scope.ONE_ON_ONES_READ])
    assert key.get(url(org, "meetings", meeting.pk)).status_code == 200
    response = key.patch(url(org, "meetings", meeting.pk), {"status": "done"}, format="json")
    assert response.status_code == 403
    response = key.post(
        url(org, "talking-points"), {"meeting": meeting.pk, "text": "x"}, format="json"
    )
    assert response.status_code == 403
    without_scope = api_with_key(org, scopes=[Scope.MEMBERS_READ])
    assert without_scope.get(url(org, "meetings")).status_code == 403


def test_marking_a_meeting_done_over_the_api_carries_open_points(
    org: OrgPeople, api_as: ApiAs
) -> None:
    meeting = make_meeting(make_series(org.manager, org.report, cadence="weekly"), days_from_now=-1)
    make_point(meeting, org.report, "Open question")
    response = api_as(org.report).patch(
        url(org, "meetings", meeting.pk), {"status": "done"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "done"
    upcoming = api_as(org.report).get(url(org, "meetings"), {"status": "upcoming"}).json()
    [following] = upcoming["results"]
    points = api_as(org.report).get(url(org, "talking-points"), {"meeting": following["id"]})
    assert [row["text"] for row in points.json()["results"]] == ["Open question"]


def test_stale_shared_notes_get_a_409(org: OrgPeople, api_as: ApiAs) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    body = {"shared_notes": "We agreed", "notes_version": 1}
    saved = api_as(org.manager).patch(url(org, "meetings", meeting.pk), body, format="json")
    assert saved.status_code == 200
    assert saved.json()["notes_version"] == 2
    body = {"shared_notes": "Other words", "notes_version": 1}
    stale = api_as(org.report).patch(url(org, "meetings", meeting.pk), body, format="json")
    assert stale.status_code == 409
    with organization_scope(org.organization):
        assert Meeting.objects.get(pk=meeting.pk).shared_notes == "We agreed"


def test_a_bad_filter_value_is_a_400(org: OrgPeople, api_as: ApiAs) -> None:
    response = api_as(org.manager).get(url(org, "meetings"), {"status": "someday"})
    assert response.status_code == 400


def test_lists_are_paginated_with_a_cursor(org: OrgPeople, api_as: ApiAs) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    for number in range(3):
        make_point(meeting, org.report, f"Point {number}")
    client = api_as(org.report)
    first = client.get(url(org, "talking-points"), {"page_size": 2}).json()
    assert len(first["results"]) == 2
    assert first["next"]
    second = client.get(first["next"]).json()
    assert [row["text"] for row in second["results"]] == ["Point 2"]


# Query counts ---------------------------------------------------------------------------


def _fill(org: OrgPeople, count: int) -> None:
    """`count` rows of every kind, all visible to the manager."""
    for _ in range(count):
        person = make_person(org.organization, manager=org.manager)
        series = make_series(org.manager, person)
        meeting = make_meeting(series)
        make_point(meeting, person)
        make_action_item(meeting, person)
        make_private_note(meeting, org.manager)


@pytest.mark.parametrize(
    "resource", ["series", "meetings", "talking-points", "action-items", "private-notes"]
)
def test_every_list_runs_the_same_number_of_queries_for_5_and_50_rows(
    org: OrgPeople, api_as: ApiAs, resource: str
) -> None:
    client = api_as(org.manager)

    def count_queries() -> tuple[int, int]:
        client.get(url(org, resource))  # warm the session and caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(org, resource))
        return len(queries), len(response.json()["results"])

    _fill(org, 5)
    small, rows_small = count_queries()
    _fill(org, 45)
    large, rows_large = count_queries()
    assert (rows_small, rows_large) == (5, 50)
    assert small == large


@pytest.mark.parametrize(
    ("resource", "body", "field"),
    [
        ("talking-points", {"meeting": 10**30, "text": "x"}, "meeting"),
        ("talking-points", {"meeting": "abc", "text": "x"}, "meeting"),
        ("meetings", {"series": 1, "scheduled_for": "next tuesday"}, "scheduled_for"),
        ("series", {"with_person": 1, "cadence": "hourly"}, "cadence"),
        ("action-items", {"meeting": 1, "owner": 1, "text": "x", "due_date": "31/31"}, "due_date"),
    ],
)
def test_nonsense_input_is_a_400_naming_the_field(
    org: OrgPeople, api_as: ApiAs, resource: str, body: dict[str, Any], field: str
) -> None:
    response = api_as(org.manager).post(url(org, resource), body, format="json")
    assert response.status_code == 400
    assert field in error_fields(response)


def test_an_id_too_large_for_the_database_is_a_404(org: OrgPeople, api_as: ApiAs) -> None:
    assert api_as(org.manager).get(url(org, "meetings", 10**30)).status_code == 404
    assert api_as(org.manager).patch(url(org, "private-notes", 10**30), {}).status_code == 404


def test_filters_narrow_series_meetings_and_points(org: OrgPeople, api_as: ApiAs) -> None:
    with_report = make_series(org.manager, org.report)
    make_series(org.manager, org.report2)
    soon = make_meeting(with_report, days_from_now=1)
    make_meeting(with_report, days_from_now=20)
    covered = make_point(soon, org.report, "Covered")
    make_point(soon, org.report, "Open")
    client = api_as(org.manager)
    client.patch(url(org, "talking-points", covered.pk), {"discussed": True}, format="json")

    series = client.get(url(org, "series"), {"person": org.report.pk}).json()["results"]
    assert [row["id"] for row in series] == [with_report.pk]
    before = (timezone.now() + timedelta(days=5)).isoformat()
    meetings = client.get(url(org, "meetings"), {"series": str(with_report.pk), "before": before})
    assert [row["id"] for row in meetings.json()["results"]] == [soon.pk]
    open_points = client.get(
        url(org, "talking-points"), {"meeting": str(soon.pk), "discussed": "false"}
    )
    assert [row["text"] for row in open_points.json()["results"]] == ["Open"]


def test_moving_a_point_over_the_api_reorders_the_agenda(org: OrgPeople, api_as: ApiAs) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    make_point(meeting, org.report, "First")
    last = make_point(meeting, org.report, "Last")
    response = api_as(org.manager).patch(
        url(org, "talking-points", last.pk), {"position": 0}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["position"] == 0
    with organization_scope(org.organization):
        order = list(TalkingPoint.objects.order_by("position").values_list("text", flat=True))
    assert order == ["Last", "First"]
