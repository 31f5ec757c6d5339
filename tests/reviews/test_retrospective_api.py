"""Retrospectives over the API: answering (sessions), the results (HR, keys with
reviews:read, aggregate only) and the next cycle."""

from __future__ import annotations

import pytest

from perfmgmt.api.models import Scope
from perfmgmt.tenancy.context import organization_scope
from reviews.models import RetrospectiveAnswer, ReviewCycle
from tests.conftest import OrgPeople
from tests.reviews.factories import running_cycle
from tests.reviews.retrospective_helpers import answer, open_retrospective, scores, team_cycle

pytestmark = pytest.mark.django_db


def url(org: OrgPeople, retrospective_id: int, action: str = "") -> str:
    base = f"/api/v1/orgs/{org.organization.slug}/reviews/retrospectives/{retrospective_id}/"
    return f"{base}{action}/" if action else base


def next_url(org: OrgPeople, cycle_id: int) -> str:
    return f"/api/v1/orgs/{org.organization.slug}/reviews/cycles/{cycle_id}/next/"


def test_a_person_answers_once_with_field_errors_for_bad_scores_and_409_the_second_time(
    org: OrgPeople, api_as
) -> None:
    retrospective = open_retrospective(org, team_cycle(org))
    api = api_as(org.report)
    bad = api.post(url(org, retrospective.pk, "answer"), {"goals_realistic": 9}, format="json")
    assert bad.status_code == 400
    fields = set(bad.json()["error"]["fields"])
    assert {"goals_realistic", "feedback_useful", "enough_time", "clear_and_fair"} <= fields
    good = api.post(
        url(org, retrospective.pk, "answer"), {**scores(), "comment": "Hi"}, format="json"
    )
    assert good.status_code == 204
    assert good.content == b""
    again = api.post(url(org, retrospective.pk, "answer"), scores(), format="json")
    assert again.status_code == 409
    with organization_scope(org.organization):
        assert RetrospectiveAnswer.objects.count() == 1


def test_only_the_people_asked_answer_and_keys_never_do(
    org: OrgPeople, other_org: OrgPeople, api_as, api_with_key
) -> None:
    retrospective = open_retrospective(org, team_cycle(org))
    theirs = open_retrospective(other_org, team_cycle(other_org))
    assert (
        api_as(org.hr)
        .post(url(org, retrospective.pk, "answer"), scores(), format="json")
        .status_code
        == 404
    )
    assert (
        api_as(org.report).post(url(org, theirs.pk, "answer"), scores(), format="json").status_code
        == 404
    )
    key = api_with_key(org, [scope.value for scope in Scope])
    assert (
        key.post(url(org, retrospective.pk, "answer"), scores(), format="json").status_code == 403
    )
    assert key.post(url(org, theirs.pk, "answer"), scores(), format="json").status_code == 404


def test_hr_and_a_key_with_reviews_read_get_the_aggregate_and_nobody_else_does(
    org: OrgPeople, api_as, api_with_key
) -> None:
    retrospective = open_retrospective(org, team_cycle(org))
    for person, comment in ((org.report, "Zebra"), (org.report2, "Apple"), (org.colleague, "")):
        answer(org, person, retrospective, (5, 4, 3, 2), comment)
    hr = api_as(org.hr).get(url(org, retrospective.pk))
    assert hr.status_code == 200
    data = hr.json()
    assert (data["invited"], data["answered"], data["response_rate"]) == (5, 3, 60)
    assert data["results_shown"] is True
    assert data["comments"] == ["Apple", "Zebra"]
    goals = data["questions"][0]
    assert goals["key"] == "goals_realistic"
    assert {item["score"]: item["count"] for item in goals["counts"]}[5] == 3
    keyed = api_with_key(org, [Scope.REVIEWS_READ]).get(url(org, retrospective.pk))
    assert keyed.status_code == 200
    assert keyed.json() == data
    assert api_with_key(org, [Scope.GOALS_READ]).get(url(org, retrospective.pk)).status_code == 403
    assert api_as(org.report).get(url(org, retrospective.pk)).status_code == 403


def test_below_the_threshold_the_api_gives_only_the_response_rate(org: OrgPeople, api_as) -> None:
    retrospective = open_retrospective(org, team_cycle(org))
    answer(org, org.report, retrospective, comment="Secret")
    data = api_as(org.hr).get(url(org, retrospective.pk)).json()
    assert (data["answered"], data["results_shown"]) == (1, False)
    assert data["questions"] == []
    assert data["comments"] == []
    assert "Secret" not in str(data)


def test_hr_creates_the_next_cycle_over_the_api_and_a_taken_name_is_a_409(
    org: OrgPeople, api_as
) -> None:
    cycle = running_cycle(org, [org.report], name="Spring")
    api = api_as(org.hr)
    created = api.post(next_url(org, cycle.pk), {}, format="json")
    assert created.status_code == 201
    body = created.json()
    assert body["name"] == "Spring (next)"
    assert body["cycle_status"] == "draft"
    assert body["period_start"] == "2027-01-01"
    assert len(body["phases"]) == 4
    again = api.post(next_url(org, cycle.pk), {}, format="json")
    assert again.status_code == 409
    named = api.post(next_url(org, cycle.pk), {"name": "Autumn"}, format="json")
    assert named.status_code == 201
    with organization_scope(org.organization):
        assert ReviewCycle.objects.get(name="Autumn").previous_cycle_id == cycle.pk
    assert api_as(org.manager).post(next_url(org, cycle.pk), {}, format="json").status_code == 403
