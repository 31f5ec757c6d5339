"""Who reads which goal: the list filter and the one-goal policy agree, person by person."""

from __future__ import annotations

import itertools

import pytest

from goals import policies, selectors
from goals.models import Goal, OwnerKind, Visibility
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory, TeamFactory

from .factories import GoalFactory

pytestmark = pytest.mark.django_db


def readers(org: OrgPeople, goal: Goal, people: list[Membership]) -> set[str]:
    with organization_scope(org.organization):
        return {
            person.user.full_name.split(" (")[0]
            for person in people
            if selectors.visible_goals(actor=person).filter(pk=goal.pk).exists()
        }


@pytest.fixture
def everyone(org: OrgPeople) -> list[Membership]:
    return [org.owner, org.hr, org.manager, org.report, org.report2, org.colleague]


def test_a_private_personal_goal_is_read_by_the_person_their_managers_and_hr(
    org: OrgPeople, everyone: list[Membership]
) -> None:
    goal = GoalFactory.create(
        organization=org.organization,
        owner_person=org.report,
        visibility=Visibility.OWNER_AND_MANAGERS,
    )
    assert readers(org, goal, everyone) == {
        "Rita Report",
        "Max Manager",
        "Olivia Owner",  # the manager's manager (and an owner)
        "Hana HR",
    }


def test_a_team_visible_personal_goal_is_also_read_by_the_owners_team(
    org: OrgPeople, everyone: list[Membership]
) -> None:
    elsewhere = TeamFactory.create(organization=org.organization, name="Sales")
    outsider = MembershipFactory.create(
        organization=org.organization, team=elsewhere, manager=org.owner
    )
    goal = GoalFactory.create(
        organization=org.organization,
        owner_person=org.report,
        visibility=Visibility.TEAM_AND_MANAGERS,
    )
    # Everyone in the fixture is in Engineering; the Sales person is not.
    assert readers(org, goal, [*everyone, outsider]) == {
        "Rita Report",
        "Ravi Report",
        "Max Manager",
        "Olivia Owner",
        "Hana HR",
        "Cora Colleague",
    }


def test_a_team_goal_is_read_by_its_members_and_their_managers_only(org: OrgPeople) -> None:
    sales = TeamFactory.create(organization=org.organization, name="Sales")
    seller = MembershipFactory.create(
        organization=org.organization, team=sales, manager=org.manager
    )
    lone = MembershipFactory.create(organization=org.organization, team=None, manager=org.owner)
    goal = GoalFactory.create(
        organization=org.organization,
        owner_kind=OwnerKind.TEAM,
        owner_team=sales,
        visibility=Visibility.TEAM_AND_MANAGERS,
    )
    with organization_scope(org.organization):
        visible = {
            person.pk
            for person in [seller, org.manager, org.owner, lone, org.report]
            if selectors.visible_goals(actor=person).filter(pk=goal.pk).exists()
        }
    # The seller reports to Max (who reports to Olivia): both manage someone in Sales.
    assert visible == {seller.pk, org.manager.pk, org.owner.pk}


def test_organization_goals_and_goals_for_everyone_are_read_by_everyone(
    org: OrgPeople, everyone: list[Membership]
) -> None:
    company = GoalFactory.create(
        organization=org.organization,
        owner_kind=OwnerKind.ORGANIZATION,
        visibility=Visibility.OWNER_AND_MANAGERS,
    )
    public = GoalFactory.create(
        organization=org.organization, owner_person=org.report, visibility=Visibility.EVERYONE
    )
    names = {person.user.full_name.split(" (")[0] for person in everyone}
    assert readers(org, company, everyone) == names
    assert readers(org, public, everyone) == names


def test_the_list_filter_and_the_one_goal_policy_agree_for_every_person_and_goal(
    org: OrgPeople, everyone: list[Membership]
) -> None:
    team = org.report.team
    goals = [
        GoalFactory.create(
            organization=org.organization, owner_person=person, visibility=visibility
        )
        for person, visibility in itertools.product(everyone, Visibility.values)
    ]
    goals += [
        GoalFactory.create(
            organization=org.organization,
            owner_kind=OwnerKind.TEAM,
            owner_team=team,
            visibility=visibility,
        )
        for visibility in Visibility.values
    ]
    with organization_scope(org.organization):
        for person in everyone:
            listed = set(selectors.visible_goals(actor=person).values_list("pk", flat=True))
            allowed = {goal.pk for goal in goals if policies.can_view_goal(person, goal)}
            assert listed == allowed, person


def test_the_form_sentence_names_who_will_read_the_goal(org: OrgPeople) -> None:
    private = policies.audience(
        owner_kind=OwnerKind.PERSON, visibility=Visibility.OWNER_AND_MANAGERS, person=org.report
    )
    assert private.startswith(f"Only {org.report.display_name}, their managers and HR admins")
    team = policies.audience(
        owner_kind=OwnerKind.PERSON, visibility=Visibility.TEAM_AND_MANAGERS, person=org.report
    )
    assert "the people in Engineering" in team
    assert "Everyone" in policies.audience(
        owner_kind=OwnerKind.ORGANIZATION, visibility=Visibility.OWNER_AND_MANAGERS
    )
