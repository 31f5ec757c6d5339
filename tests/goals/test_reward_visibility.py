"""The reward agreed on a goal is between its owner and their managers, whatever the goal's
visibility."""

from __future__ import annotations

from decimal import Decimal

import pytest

from goals import policies, selectors
from goals.models import GoalRevision, OwnerKind, Visibility
from perfmgmt.tenancy.context import organization_scope
from tests.goals.factories import GoalFactory


@pytest.fixture
def rewarded_goal(org):
    return GoalFactory.create(
        organization=org.organization,
        owner_person=org.report,
        visibility=Visibility.EVERYONE,
        reward_text="Team offsite budget",
        reward_amount=Decimal("500.00"),
    )


def read(api_as, member, goal):
    slug = member.organization.slug
    return api_as(member).get(f"/api/v1/orgs/{slug}/goals/{goal.pk}/").json()


@pytest.mark.parametrize("who", ["report", "manager", "owner", "hr"])
def test_the_owner_their_managers_and_hr_read_the_reward(org, api_as, rewarded_goal, who):
    body = read(api_as, getattr(org, who), rewarded_goal)
    assert body["reward_text"] == "Team offsite budget"
    assert body["reward_amount"] == "500.00"


@pytest.mark.parametrize("who", ["colleague", "report2"])
def test_others_read_the_goal_but_not_its_reward(org, api_as, rewarded_goal, who):
    body = read(api_as, getattr(org, who), rewarded_goal)
    assert body["title"] == rewarded_goal.title
    assert body["reward_text"] == ""
    assert body["reward_amount"] is None


def test_the_goal_list_hides_the_reward_row_by_row(org, api_as, rewarded_goal):
    company = GoalFactory.create(
        organization=org.organization,
        owner_kind=OwnerKind.ORGANIZATION,
        owner_person=None,
        reward_text="Everyone gets a day off",
    )
    rows = api_as(org.colleague).get(f"/api/v1/orgs/{org.organization.slug}/goals/").json()
    rewards = {row["id"]: row["reward_text"] for row in rows["results"]}
    assert rewards[rewarded_goal.pk] == ""
    assert rewards[company.pk] == "Everyone gets a day off"


def test_the_goal_page_shows_the_reward_only_to_those_who_may_read_it(
    org, client_for, rewarded_goal
):
    url = f"/o/{org.organization.slug}/goals/{rewarded_goal.pk}/"
    as_manager = client_for(org.manager).get(url).content.decode()
    as_colleague = client_for(org.colleague).get(url)
    assert "Team offsite budget" in as_manager
    assert as_colleague.status_code == 200
    assert "Team offsite budget" not in as_colleague.content.decode()
    assert "Expected reward" not in as_colleague.content.decode()


def test_the_reward_filter_and_the_one_goal_rule_agree_for_every_person_and_goal(org):
    everyone = [org.owner, org.hr, org.manager, org.report, org.report2, org.colleague]
    goals = [
        GoalFactory.create(
            organization=org.organization,
            owner_person=person,
            visibility=Visibility.EVERYONE,
            reward_text="A bonus",
        )
        for person in everyone
    ]
    goals += [
        GoalFactory.create(
            organization=org.organization,
            owner_kind=OwnerKind.TEAM,
            owner_person=None,
            owner_team=org.report.team,
            visibility=Visibility.EVERYONE,
        ),
        GoalFactory.create(
            organization=org.organization,
            owner_kind=OwnerKind.ORGANIZATION,
            owner_person=None,
            visibility=Visibility.EVERYONE,
        ),
    ]
    with organization_scope(org.organization):
        for person in everyone:
            flags = {
                goal.pk: getattr(goal, "reward_visible", None)
                for goal in selectors.visible_goals(actor=person)
            }
            rows = {
                row["id"]: row["reward_visible"]
                for row in selectors.goal_rows(actor=person).values()
            }
            expected = {goal.pk: policies.can_read_goal_reward(person, goal) for goal in goals}
            assert flags == expected, person
            assert rows == expected, person


@pytest.mark.parametrize(("who", "shown"), [("manager", True), ("colleague", False)])
def test_earlier_agreed_versions_show_the_reward_only_to_its_readers(
    org, api_as, rewarded_goal, who, shown
):
    with organization_scope(org.organization):
        GoalRevision.objects.create(
            goal=rewarded_goal,
            organization=org.organization,
            previous={"title": "Old title", "reward_text": "A smaller budget"},
        )
    url = f"/api/v1/orgs/{org.organization.slug}/goals/{rewarded_goal.pk}/revisions/"
    rows = api_as(getattr(org, who)).get(url).json()["results"]

    assert rows[0]["previous"]["title"] == "Old title"
    assert ("reward_text" in rows[0]["previous"]) is shown
