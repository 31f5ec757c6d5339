"""Who agrees a person's goal: never the person who proposed it, whoever manages them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from goals import policies, selectors, services
from goals.models import Goal
from perfmgmt.errors import PermissionDeniedError
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, Role
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory

from .factories import create_goal

pytestmark = pytest.mark.django_db

ApiAs = Callable[[Membership], APIClient]


def without_manager(person: Membership) -> Membership:
    with organization_scope(person.organization):
        Membership.objects.filter(pk=person.pk).update(manager=None)
        person.refresh_from_db()
    return person


def agree_url(goal: Goal) -> str:
    return f"/api/v1/orgs/{goal.organization.slug}/goals/{goal.pk}/agree/"


def test_an_hr_admin_without_a_manager_cannot_agree_their_own_goal(org: OrgPeople) -> None:
    hr = without_manager(org.hr)
    goal = create_goal(hr)
    with organization_scope(org.organization):
        assert not policies.can_agree_goal(hr, goal)
        with pytest.raises(PermissionDeniedError):
            services.goal_agree(actor=hr, goal=goal)
        goal.refresh_from_db()
    assert not goal.is_agreed


def test_an_hr_admin_without_a_manager_gets_403_agreeing_their_own_goal_over_the_api(
    org: OrgPeople, api_as: ApiAs
) -> None:
    hr = without_manager(org.hr)
    goal = create_goal(hr)
    response = api_as(hr).post(agree_url(goal), {"reward_amount": "50000"}, format="json")
    assert response.status_code == 403
    with organization_scope(org.organization):
        goal.refresh_from_db()
    assert goal.agreed_at is None
    assert goal.reward_amount is None


def test_another_hr_admin_or_an_owner_agrees_the_goal_of_an_hr_admin_without_a_manager(
    org: OrgPeople, api_as: ApiAs
) -> None:
    hr = without_manager(org.hr)
    other_hr = MembershipFactory.create(
        organization=org.organization, role=Role.HR_ADMIN, manager=org.owner
    )
    by_other_hr = create_goal(hr, title="Hire two recruiters")
    by_owner = create_goal(hr, title="Run the engagement survey")
    with organization_scope(org.organization):
        assert services.goal_agree(actor=other_hr, goal=by_other_hr).agreed_by == other_hr
    response = api_as(org.owner).post(agree_url(by_owner), {}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["agreed_by"] == org.owner.pk


def test_the_top_owner_does_not_agree_their_own_goal_an_hr_admin_does(org: OrgPeople) -> None:
    assert org.owner.manager_id is None
    goal = create_goal(org.owner)
    with organization_scope(org.organization):
        with pytest.raises(PermissionDeniedError):
            services.goal_agree(actor=org.owner, goal=goal)
        assert not policies.can_agree_goal(org.manager, goal)
        goal = services.goal_agree(actor=org.hr, goal=goal)
    assert goal.agreed_by == org.hr


def test_an_employee_without_a_manager_waits_for_hr_to_agree_their_goal(org: OrgPeople) -> None:
    loner = MembershipFactory.create(organization=org.organization)
    goal = create_goal(loner)
    with organization_scope(org.organization):
        assert not policies.can_agree_goal(loner, goal)
        assert services.goal_agree(actor=org.hr, goal=goal).agreed_by == org.hr


def test_hr_and_owners_are_told_a_goal_of_someone_without_a_manager_waits_for_them(
    org: OrgPeople,
) -> None:
    hr = without_manager(org.hr)
    create_goal(hr)
    with organization_scope(org.organization):
        assert selectors.whats_next_summary(actor=org.owner).to_agree == 1
        assert selectors.whats_next_summary(actor=hr).to_agree == 0  # not their own
        assert selectors.whats_next_summary(actor=org.manager).to_agree == 0
