"""Check-ins, feedback, feedback requests and coaching records over the REST API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from feedback.models import CoachingRecord, Feedback, FeedbackAsk
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople
from tests.feedback.factories import (
    make_checkin,
    make_checkin_for_period,
    make_coaching_record,
    make_feedback,
    make_request,
)

pytestmark = pytest.mark.django_db

ApiAs = Callable[[Membership], APIClient]
V = Feedback.Visibility


def url(org: OrgPeople, resource: str, object_id: int | None = None, action: str = "") -> str:
    path = f"/api/v1/orgs/{org.organization.slug}/{resource}/"
    if object_id is not None:
        path += f"{object_id}/"
    if action:
        path += f"{action}/"
    return path


def queries_for(client: APIClient, path: str) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(captured), response.json()


def assert_same_query_count(
    client: APIClient, path: str, add: Callable[[int], None], expected_first: int = 5
) -> None:
    add(5)
    at_five, body = queries_for(client, path)
    assert len(body["results"]) == expected_first
    add(45)
    at_fifty, body = queries_for(client, path)
    assert len(body["results"]) == 50
    assert at_fifty == at_five


# Check-ins -----------------------------------------------------------------------------


def test_a_person_starts_fills_and_submits_their_check_in(org: OrgPeople, api_as: ApiAs) -> None:
    client = api_as(org.report)
    started = client.post(url(org, "checkins"), {}, format="json")
    assert started.status_code == 201
    body = started.json()
    assert [qa["question"] for qa in body["answers"]] == [
        "What went well?",
        "What's next?",
        "Any blockers?",
    ]
    again = client.post(url(org, "checkins"), {}, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == body["id"]

    saved = client.patch(
        url(org, "checkins", body["id"]),
        {"answers": ["Shipped the importer", "Docs", ""], "score": 4},
        format="json",
    )
    assert saved.status_code == 200
    assert saved.json()["status"] == "draft"
    submitted = client.patch(url(org, "checkins", body["id"]), {"submit": True}, format="json")
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["answers"][0]["answer"] == "Shipped the importer"


def test_a_wrong_number_of_answers_is_a_400_that_changes_nothing(
    org: OrgPeople, api_as: ApiAs
) -> None:
    checkin = make_checkin(org.report)
    response = api_as(org.report).patch(
        url(org, "checkins", checkin.pk), {"answers": ["one"], "score": 9}, format="json"
    )
    assert response.status_code == 400
    assert "score" in response.json()["error"]["fields"]
    response = api_as(org.report).patch(
        url(org, "checkins", checkin.pk), {"answers": ["one"]}, format="json"
    )
    assert response.status_code == 400
    assert "answers" in response.json()["error"]["fields"]
    with organization_scope(org.organization):
        checkin.refresh_from_db()
    assert checkin.answers == ["", "", ""]


def test_submitting_an_empty_check_in_is_a_400_with_field_messages(
    org: OrgPeople, api_as: ApiAs
) -> None:
    checkin = make_checkin(org.report)
    response = api_as(org.report).patch(
        url(org, "checkins", checkin.pk), {"submit": True}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"score", "answers"}


def test_the_manager_reviews_a_submitted_check_in_and_cannot_even_see_a_draft(
    org: OrgPeople, api_as: ApiAs
) -> None:
    submitted = make_checkin(org.report, submit=True)
    draft = make_checkin(org.report2)
    manager = api_as(org.manager)
    response = manager.post(
        url(org, "checkins", submitted.pk, "review"), {"reply": "Nice work"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "reviewed"
    assert response.json()["reviewed_by"] == org.manager.pk
    # A draft is the person's own until they submit it: to the manager it does not exist.
    assert (
        manager.post(url(org, "checkins", draft.pk, "review"), {}, format="json").status_code == 404
    )
    assert manager.get(url(org, "checkins", draft.pk)).status_code == 404
    listed = [row["id"] for row in manager.get(url(org, "checkins")).json()["results"]]
    assert submitted.pk in listed
    assert draft.pk not in listed


def test_a_colleague_gets_404_for_a_check_in_they_may_not_see(
    org: OrgPeople, api_as: ApiAs
) -> None:
    checkin = make_checkin(org.report, submit=True)
    client = api_as(org.colleague)
    assert client.get(url(org, "checkins", checkin.pk)).status_code == 404
    assert (
        client.post(url(org, "checkins", checkin.pk, "review"), {}, format="json").status_code
        == 404
    )
    assert client.get(url(org, "checkins")).json()["results"] == []


def test_another_organizations_check_in_is_404(
    org: OrgPeople, other_org: OrgPeople, api_as: ApiAs
) -> None:
    theirs = make_checkin(other_org.report, submit=True)
    assert api_as(org.owner).get(url(org, "checkins", theirs.pk)).status_code == 404


def test_api_keys_cannot_read_check_ins_or_feedback(
    org: OrgPeople, api_with_key: Callable[..., APIClient]
) -> None:
    checkin = make_checkin(org.report, submit=True)
    client = api_with_key(org)
    assert client.get(url(org, "checkins")).status_code == 403
    assert client.get(url(org, "checkins", checkin.pk)).status_code == 403
    assert client.get(url(org, "feedback")).status_code == 403


def test_check_ins_filter_by_person_status_and_waiting_for_review(
    org: OrgPeople, api_as: ApiAs
) -> None:
    make_checkin(org.report, submit=True)
    make_checkin(org.report2)
    make_checkin(org.manager, submit=True)
    client = api_as(org.manager)
    waiting = client.get(url(org, "checkins") + "?waiting_for_review=true").json()["results"]
    assert [c["person"] for c in waiting] == [org.report.pk]
    # Reports' drafts are theirs until submitted; the report finds their own by status.
    assert client.get(url(org, "checkins") + "?status=draft").json()["results"] == []
    drafts = api_as(org.report2).get(url(org, "checkins") + "?status=draft").json()["results"]
    assert [c["person"] for c in drafts] == [org.report2.pk]
    mine = client.get(url(org, "checkins") + f"?person={org.manager.pk}").json()["results"]
    assert [c["person"] for c in mine] == [org.manager.pk]
    bad = client.get(url(org, "checkins") + "?status=nonsense")
    assert bad.status_code == 400


def test_the_check_in_list_takes_the_same_queries_for_5_and_50(
    org: OrgPeople, api_as: ApiAs
) -> None:
    made: list[int] = [0]

    def add(count: int) -> None:
        for _ in range(count):
            start = date(2020, 1, 6) + timedelta(weeks=made[0])
            make_checkin_for_period(org.report if made[0] % 2 else org.report2, start)
            made[0] += 1

    assert_same_query_count(api_as(org.manager), url(org, "checkins"), add)


# Feedback ------------------------------------------------------------------------------


def test_giving_feedback_returns_it_and_the_recipient_reads_it(
    org: OrgPeople, api_as: ApiAs
) -> None:
    response = api_as(org.colleague).post(
        url(org, "feedback"),
        {"recipient": org.report.pk, "behaviour": "Clear demo", "visibility": "private"},
        format="json",
    )
    assert response.status_code == 201, response.content
    feedback_id = response.json()["id"]
    assert api_as(org.report).get(url(org, "feedback", feedback_id)).status_code == 200
    assert api_as(org.manager).get(url(org, "feedback", feedback_id)).status_code == 404
    assert api_as(org.hr).get(url(org, "feedback", feedback_id)).status_code == 404


def test_a_manager_note_is_invisible_to_the_recipient_through_the_api(
    org: OrgPeople, api_as: ApiAs
) -> None:
    note = make_feedback(org.colleague, org.report, V.MANAGER_ONLY)
    report = api_as(org.report)
    assert report.get(url(org, "feedback", note.pk)).status_code == 404
    assert report.get(url(org, "feedback") + "?direction=received").json()["results"] == []
    team = api_as(org.manager).get(url(org, "feedback") + "?direction=team").json()["results"]
    assert [f["id"] for f in team] == [note.pk]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"visibility": "private"}, "situation"),
        ({"situation": "x", "visibility": "everyone"}, "visibility"),
        ({"situation": "x"}, "visibility"),
    ],
)
def test_bad_feedback_is_a_400_naming_the_field(
    org: OrgPeople, api_as: ApiAs, payload: dict[str, Any], field: str
) -> None:
    response = api_as(org.colleague).post(
        url(org, "feedback"), {"recipient": org.report.pk, **payload}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    with organization_scope(org.organization):
        assert not Feedback.objects.exists()


def test_feedback_to_someone_of_another_organization_is_refused(
    org: OrgPeople, other_org: OrgPeople, api_as: ApiAs
) -> None:
    response = api_as(org.colleague).post(
        url(org, "feedback"),
        {"recipient": other_org.report.pk, "impact": "x", "visibility": "private"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["recipient"] == ["Unknown person."]


def test_the_giver_corrects_the_text_but_not_the_visibility(org: OrgPeople, api_as: ApiAs) -> None:
    feedback = make_feedback(org.colleague, org.report, V.PRIVATE)
    response = api_as(org.colleague).patch(
        url(org, "feedback", feedback.pk),
        {"impact": "We shipped a day early", "visibility": "manager_only"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["impact"] == "We shipped a day early"
    assert response.json()["visibility"] == "private"
    assert (
        api_as(org.report)
        .patch(url(org, "feedback", feedback.pk), {"impact": "x"}, format="json")
        .status_code
        == 403
    )


def test_the_feedback_list_takes_the_same_queries_for_5_and_50(
    org: OrgPeople, api_as: ApiAs
) -> None:
    def add(count: int) -> None:
        for index in range(count):
            giver = org.colleague if index % 2 else org.report2
            make_feedback(giver, org.report, V.RECIPIENT_AND_MANAGER)

    assert_same_query_count(api_as(org.manager), url(org, "feedback"), add)


def test_the_feedback_list_of_manager_notes_takes_the_same_queries_for_5_and_50(
    org: OrgPeople, api_as: ApiAs
) -> None:
    """The page is audited with one entry whatever it shows (security issue 8)."""

    def add(count: int) -> None:
        for _ in range(count):
            make_feedback(org.colleague, org.report, V.MANAGER_ONLY)

    assert_same_query_count(api_as(org.owner), url(org, "feedback"), add)


# Feedback requests ---------------------------------------------------------------------


def test_a_person_asks_two_colleagues_one_answers_and_one_declines(
    org: OrgPeople, api_as: ApiAs
) -> None:
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    created = api_as(org.report).post(
        url(org, "feedback-requests"),
        {"people": [org.colleague.pk, org.report2.pk], "prompt": "My demo?", "due_on": due},
        format="json",
    )
    assert created.status_code == 201, created.content
    request_id = created.json()["id"]
    assert created.json()["subject"] == org.report.pk

    answer = api_as(org.colleague).post(
        url(org, "feedback-requests", request_id, "answer"),
        {"impact": "Everyone understood it", "visibility": "private"},
        format="json",
    )
    assert answer.status_code == 201
    declined = api_as(org.report2).post(
        url(org, "feedback-requests", request_id, "decline"),
        {"reason": "I missed it"},
        format="json",
    )
    assert declined.status_code == 200
    # An asked person sees only their own status.
    assert [a["person"] for a in declined.json()["asks"]] == [org.report2.pk]

    seen = api_as(org.report).get(url(org, "feedback-requests", request_id)).json()
    statuses = {a["person"]: a["status"] for a in seen["asks"]}
    assert statuses == {org.colleague.pk: "answered", org.report2.pk: "declined"}
    received = api_as(org.report).get(url(org, "feedback") + "?direction=received").json()
    assert [f["request"] for f in received["results"]] == [request_id]

    twice = api_as(org.colleague).post(
        url(org, "feedback-requests", request_id, "answer"),
        {"impact": "again", "visibility": "private"},
        format="json",
    )
    assert twice.status_code == 409


def test_requests_filter_by_role_and_my_status(org: OrgPeople, api_as: ApiAs) -> None:
    mine = make_request(org.report, [org.colleague])
    to_me = make_request(org.colleague, [org.report])
    client = api_as(org.report)
    made = client.get(url(org, "feedback-requests") + "?role=made").json()["results"]
    asked = client.get(url(org, "feedback-requests") + "?role=asked&status=pending").json()
    assert [r["id"] for r in made] == [mine.pk]
    assert [r["id"] for r in asked["results"]] == [to_me.pk]


def test_in_the_request_list_each_asked_person_sees_only_their_own_ask(
    org: OrgPeople, api_as: ApiAs
) -> None:
    request = make_request(org.report, [org.colleague, org.report2])

    def asks_seen_by(member: Membership) -> list[int]:
        rows = api_as(member).get(url(org, "feedback-requests")).json()["results"]
        return sorted(
            ask["person"] for ask in next(r for r in rows if r["id"] == request.pk)["asks"]
        )

    assert asks_seen_by(org.report) == sorted([org.colleague.pk, org.report2.pk])
    assert asks_seen_by(org.colleague) == [org.colleague.pk]
    assert asks_seen_by(org.report2) == [org.report2.pk]


def test_a_request_with_a_due_date_in_the_past_is_a_400(org: OrgPeople, api_as: ApiAs) -> None:
    response = api_as(org.report).post(
        url(org, "feedback-requests"),
        {"people": [org.colleague.pk], "prompt": "x", "due_on": "2020-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "due_on" in response.json()["error"]["fields"]
    with organization_scope(org.organization):
        assert not FeedbackAsk.objects.exists()


def test_someone_not_involved_gets_404_for_a_request(org: OrgPeople, api_as: ApiAs) -> None:
    request = make_request(org.report, [org.colleague])
    assert api_as(org.manager).get(url(org, "feedback-requests", request.pk)).status_code == 404


def test_the_request_list_takes_the_same_queries_for_5_and_50(
    org: OrgPeople, api_as: ApiAs
) -> None:
    def add(count: int) -> None:
        for _ in range(count):
            make_request(org.report, [org.colleague, org.report2])

    assert_same_query_count(api_as(org.report), url(org, "feedback-requests"), add)


# Coaching records ----------------------------------------------------------------------


def test_a_manager_records_coaching_and_the_employee_reads_it(
    org: OrgPeople, api_as: ApiAs
) -> None:
    today = timezone.localdate()
    response = api_as(org.manager).post(
        url(org, "coaching-records"),
        {
            "person": org.report.pk,
            "held_on": today.isoformat(),
            "topic": "Estimating",
            "agreed": "Break work into days",
            "follow_up_on": (today + timedelta(days=14)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    record_id = response.json()["id"]
    assert api_as(org.report).get(url(org, "coaching-records", record_id)).status_code == 200
    assert api_as(org.hr).get(url(org, "coaching-records", record_id)).status_code == 404
    changed = api_as(org.manager).patch(
        url(org, "coaching-records", record_id), {"topic": "Estimation"}, format="json"
    )
    assert changed.json()["topic"] == "Estimation"


def test_a_colleague_cannot_write_a_coaching_record(org: OrgPeople, api_as: ApiAs) -> None:
    response = api_as(org.colleague).post(
        url(org, "coaching-records"),
        {"person": org.report.pk, "held_on": "2026-11-02", "topic": "x"},
        format="json",
    )
    assert response.status_code == 403
    with organization_scope(org.organization):
        assert not CoachingRecord.objects.exists()


def test_the_coaching_list_takes_the_same_queries_for_5_and_50(
    org: OrgPeople, api_as: ApiAs
) -> None:
    def add(count: int) -> None:
        for index in range(count):
            make_coaching_record(org.manager, org.report if index % 2 else org.report2)

    assert_same_query_count(api_as(org.owner), url(org, "coaching-records"), add)
