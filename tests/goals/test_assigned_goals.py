"""After "Assign to many", the one who assigned lands on the goals they set for others, and
that list stays at a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.models import Goal
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory

from .factories import GoalFactory, create_goal

pytestmark = pytest.mark.django_db

ClientFor = Callable[[Membership], Client]


def page(org: OrgPeople, name: str) -> str:
    return reverse(f"goals:{name}", args=[org.organization.slug])


def test_hr_lands_on_the_goals_just_assigned_to_five_people(
    org: OrgPeople, client_for: ClientFor
) -> None:
    people = [org.owner, org.manager, org.report, org.report2, org.colleague]
    client = client_for(org.hr)
    response = client.post(
        page(org, "assign"),
        {"people": [person.pk for person in people], "title": "Complete the security training",
         "goal_type": "qualitative", "weight": "1", "visibility": "team"},
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == page(org, "assigned")
    landing = client.get(response["Location"]).content.decode()
    assert "Assigned “Complete the security training” to 5 people." in landing
    assert "Nobody below you has goals yet" not in landing
    assert landing.count("Complete the security training</a>") == 5
    for person in people:
        assert person.display_name in landing


def test_the_list_shows_goals_set_for_others_not_ones_own_or_other_peoples(
    org: OrgPeople, client_for: ClientFor
) -> None:
    create_goal(org.manager, owner_person=org.report, title="Set for Rita")
    create_goal(org.manager, title="My own goal")
    create_goal(org.report, title="Rita's own idea")
    listed = client_for(org.manager).get(page(org, "assigned")).content.decode()
    assert "Set for Rita" in listed
    assert "My own goal" not in listed
    assert "Rita's own idea" not in listed
    assert "Set for Rita" not in client_for(org.hr).get(page(org, "assigned")).content.decode()


def test_the_assigned_goals_page_runs_the_same_number_of_queries_at_5_and_at_50_goals(
    org: OrgPeople, client_for: ClientFor
) -> None:
    client = client_for(org.hr)

    def add(count: int) -> None:
        for _ in range(count):
            person = MembershipFactory.create(organization=org.organization, manager=org.manager)
            GoalFactory.create(organization=org.organization, owner_person=person,
                               created_by=org.hr, proposed_by=org.hr)  # fmt: skip

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page(org, "assigned"))
        assert response.status_code == 200
        return len(captured), response.content.count(b"<progress")

    add(5)
    at_five, rows_at_five = queries()
    add(45)
    at_fifty, rows_at_fifty = queries()
    assert (rows_at_five, rows_at_fifty) == (5, 50)
    assert at_fifty == at_five
    with organization_scope(org.organization):
        assert Goal.objects.filter(created_by=org.hr).count() == 50
