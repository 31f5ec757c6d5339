"""The improvement plan API: the workflow end to end, field errors, keys, other
organizations, cursor pages, and a fixed number of queries at 5 and 50 plans."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from perfmgmt.api.models import Scope
from perfmgmt.tenancy.context import organization_scope
from reviews.models import ImprovementPlan, PlanStatus
from tests.api.conftest import create_key, key_client
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory
from tests.reviews.plan_helpers import make_plan, today

pytestmark = pytest.mark.django_db


def url(org: OrgPeople, plan_id: int | None = None, action: str = "") -> str:
    base = f"/api/v1/orgs/{org.organization.slug}/reviews/improvement-plans/"
    if plan_id is not None:
        base += f"{plan_id}/"
    return base + (f"{action}/" if action else "")


def body(org: OrgPeople, **changes: object) -> dict[str, object]:
    start = today(org)
    return {
        "person": org.report.pk,
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=60)).isoformat(),
        "reason": "Deadlines missed.",
        "support": "Weekly coaching.",
        "expectations": [{"description": "Deliver on time", "measure": "4 of 4 sprints"}],
        "review_dates": [(start + timedelta(days=30)).isoformat()],
        **changes,
    }


def test_the_whole_workflow_over_the_api(org: OrgPeople, api_as) -> None:
    manager, hr, person = api_as(org.manager), api_as(org.hr), api_as(org.report)
    created = manager.post(url(org), body(org), format="json")
    assert created.status_code == 201, created.content
    plan_id = created.json()["id"]
    assert created.json()["status"] == "draft"
    assert created.json()["expectations"][0]["measure"] == "4 of 4 sprints"
    updated = manager.put(url(org, plan_id), body(org, support="Daily coaching."), format="json")
    assert updated.json()["support"] == "Daily coaching."
    assert manager.post(url(org, plan_id, "submit")).json()["status"] == "submitted"
    sent_back = hr.post(url(org, plan_id, "send-back"), {"reason": "Say how."}, format="json")
    assert sent_back.json()["return_reason"] == "Say how."
    manager.post(url(org, plan_id, "submit"))
    assert hr.post(url(org, plan_id, "approve")).json()["status"] == "approved"
    acknowledged = person.post(url(org, plan_id, "acknowledge"), {"comment": "OK"}, format="json")
    assert acknowledged.json()["acknowledged_at"]
    again = person.post(url(org, plan_id, "acknowledge"), {}, format="json")
    assert again.status_code == 409
    outcome = manager.post(
        url(org, plan_id, "outcome"), {"outcome": "met", "note": "Done."}, format="json"
    )
    assert outcome.json()["status"] == "closed"
    assert outcome.json()["outcomes"][0]["outcome"] == "met"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"expectations": []}, "expectations"),
        ({"end_date": "2020-01-01"}, "end_date"),
        ({"review_dates": ["2099-01-01"]}, "review_dates"),
        ({"person": 999999}, "person"),
        ({"start_date": "not a date"}, "start_date"),
    ],
)
def test_bad_input_is_a_400_with_the_field_and_creates_nothing(
    org: OrgPeople, api_as, changes: dict[str, object], field: str
) -> None:
    response = api_as(org.manager).post(url(org), body(org, **changes), format="json")
    assert response.status_code == 400
    assert field in str(response.json())
    with organization_scope(org.organization):
        assert not ImprovementPlan.objects.exists()


def test_drafting_for_a_peer_or_someone_in_another_organization_is_refused(
    org: OrgPeople, other_org: OrgPeople, api_as
) -> None:
    client = api_as(org.report)
    assert client.post(url(org), body(org, person=org.report2.pk), format="json").status_code == 400
    foreign = body(org, person=other_org.report.pk)
    assert api_as(org.manager).post(url(org), foreign, format="json").status_code == 400


def test_an_outcome_before_approval_is_a_409_and_changes_nothing(org: OrgPeople, api_as) -> None:
    plan = make_plan(org)
    response = api_as(org.manager).post(
        url(org, plan.pk, "outcome"), {"outcome": "met", "note": "x"}, format="json"
    )
    assert response.status_code == 409
    with organization_scope(org.organization):
        assert ImprovementPlan.objects.get().status == PlanStatus.DRAFT


def test_a_key_reads_but_takes_no_step(org: OrgPeople) -> None:
    plan = make_plan(org, approve=True)
    _credential, key = create_key(org, [Scope.REVIEWS_READ, Scope.REVIEWS_WRITE])
    client = key_client(key)
    assert client.get(url(org, plan.pk)).status_code == 200
    assert client.post(url(org, plan.pk, "approve")).status_code == 403
    assert client.post(url(org), body(org), format="json").status_code == 403


def test_another_organizations_plan_is_a_404_for_every_action(
    org: OrgPeople, other_org: OrgPeople, api_as
) -> None:
    theirs = make_plan(other_org, approve=True)
    client = api_as(org.hr)
    assert client.get(url(org, theirs.pk)).status_code == 404
    for action in ("approve", "submit", "acknowledge", "outcome", "send-back"):
        assert client.post(url(org, theirs.pk, action), {}, format="json").status_code == 404


def test_pages_of_plans_use_a_cursor(org: OrgPeople, api_as) -> None:
    for _number in range(3):
        make_plan(org)
    first = api_as(org.hr).get(url(org), {"page_size": 2}).json()
    assert len(first["results"]) == 2
    assert "cursor=" in first["next"]
    second = api_as(org.hr).get(first["next"]).json()
    assert len(second["results"]) == 1


def _plans(org: OrgPeople, count: int) -> None:
    with organization_scope(org.organization):
        people = [
            MembershipFactory.create(organization=org.organization, manager=org.manager)
            for _number in range(count)
        ]
    for person in people:
        make_plan(org, person=person, approve=True)


@pytest.mark.parametrize("who", ["hr", "manager"])
def test_the_list_runs_the_same_queries_at_5_and_50_plans(
    org: OrgPeople, other_org: OrgPeople, api_as, who: str
) -> None:
    _plans(org, 5)
    _plans(other_org, 50)

    def count(people: OrgPeople) -> int:
        client = api_as(getattr(people, who))
        client.get(url(people))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(people), {"page_size": 100})
        assert response.status_code == 200
        assert len(response.json()["results"]) in (5, 50)
        return len(queries)

    assert count(org) == count(other_org)
