"""Team and organization goals need the other side too: someone above the proposer in the
reporting line, or an HR admin or owner; never the proposer. And agreeing is agreeing to
what one read: a goal changed since its page was loaded is a 409 that keeps the input."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from goals import policies, selectors, services
from goals.models import Goal, OwnerKind
from perfmgmt.errors import ConflictError, PermissionDeniedError
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople

from .factories import create_goal

pytestmark = pytest.mark.django_db

ApiAs = Callable[[Membership], APIClient]
ClientFor = Callable[[Membership], Client]


def team_goal(org: OrgPeople, proposer: Membership | None = None) -> Goal:
    return create_goal(
        proposer or org.manager,
        owner_kind=OwnerKind.TEAM,
        owner_team=org.report.team,
        title="Answer every ticket within a day",
    )


def company_goal(org: OrgPeople) -> Goal:
    return create_goal(org.hr, owner_kind=OwnerKind.ORGANIZATION, title="Grow revenue by 20%")


def stored(goal: Goal) -> Goal:
    with organization_scope(goal.organization):
        goal.refresh_from_db()
    return goal


def detail(goal: Goal) -> str:
    return reverse("goals:detail", args=[goal.organization.slug, goal.pk])


def agree_page(goal: Goal) -> str:
    return reverse("goals:agree", args=[goal.organization.slug, goal.pk])


def agree_api(goal: Goal) -> str:
    return f"/api/v1/orgs/{goal.organization.slug}/goals/{goal.pk}/agree/"


# --- Who agrees ----------------------------------------------------------------------------


def test_the_manager_who_proposes_a_team_goal_cannot_agree_it(org: OrgPeople) -> None:
    goal = team_goal(org)
    with organization_scope(org.organization):
        assert not policies.can_agree_goal(org.manager, goal)
        with pytest.raises(PermissionDeniedError):
            services.goal_agree(actor=org.manager, goal=goal)
    goal = stored(goal)
    assert goal.agreed_by is None
    assert goal.needs_agreement


def test_someone_above_the_proposer_or_hr_agrees_a_team_goal(org: OrgPeople) -> None:
    by_owner, by_hr = team_goal(org), team_goal(org)
    with organization_scope(org.organization):
        assert org.manager.manager_id == org.owner.pk
        assert services.goal_agree(actor=org.owner, goal=by_owner).agreed_by == org.owner
        assert services.goal_agree(actor=org.hr, goal=by_hr).agreed_by == org.hr


def test_the_team_and_colleagues_beside_the_proposer_do_not_agree_a_team_goal(
    org: OrgPeople,
) -> None:
    goal = team_goal(org)
    with organization_scope(org.organization):
        for person in (org.report, org.report2, org.colleague):
            assert not policies.can_agree_goal(person, goal), person
            with pytest.raises(PermissionDeniedError):
                services.goal_agree(actor=person, goal=goal)
    assert stored(goal).agreed_at is None


def test_an_organization_goal_is_agreed_by_someone_other_than_the_hr_admin_proposing_it(
    org: OrgPeople,
) -> None:
    goal = company_goal(org)
    with organization_scope(org.organization):
        assert not policies.can_agree_goal(org.hr, goal)
        with pytest.raises(PermissionDeniedError):
            services.goal_agree(actor=org.hr, goal=goal)
        assert not policies.can_agree_goal(org.manager, goal)
        assert services.goal_agree(actor=org.owner, goal=goal).agreed_by == org.owner


def test_the_api_refuses_the_proposer_and_accepts_the_other_side(
    org: OrgPeople, api_as: ApiAs
) -> None:
    goal = team_goal(org)
    refused = api_as(org.manager).post(agree_api(goal), {}, format="json")
    assert refused.status_code == 403
    assert stored(goal).agreed_at is None
    agreed = api_as(org.owner).post(agree_api(goal), {}, format="json")
    assert agreed.status_code == 200, agreed.json()
    assert agreed.json()["agreed_by"] == org.owner.pk


def test_the_proposer_of_a_team_goal_is_not_offered_to_agree_it_on_its_page(
    org: OrgPeople, client_for: ClientFor
) -> None:
    goal = team_goal(org)
    mine = client_for(org.manager).get(detail(goal)).content.decode()
    assert "Agree this goal" not in mine
    assert "Agree goal" not in mine
    assert "Someone above" in mine.split('id="goal-agreement"', 1)[1].split("</dd>", 1)[0]
    assert client_for(org.manager).post(agree_page(goal), {}).status_code == 403
    assert stored(goal).agreed_at is None
    assert "Agree goal" in client_for(org.owner).get(detail(goal)).content.decode()


# --- Agreeing what one read ------------------------------------------------------------------


def test_agreeing_a_goal_that_changed_since_it_was_read_is_a_conflict(org: OrgPeople) -> None:
    goal = create_goal(org.report)
    read_version = goal.version
    with organization_scope(org.organization):
        services.goal_update(actor=org.report, goal=goal, target_value=Decimal("500"))
        with pytest.raises(ConflictError):
            services.goal_agree(actor=org.manager, goal=goal, expected_version=read_version)
        assert stored(goal).agreed_at is None
        fresh = stored(goal)
        agreed = services.goal_agree(actor=org.manager, goal=fresh, expected_version=fresh.version)
    assert agreed.agreed_by == org.manager


def test_progress_updates_do_not_make_an_agreement_stale(org: OrgPeople) -> None:
    goal = create_goal(org.report)
    read_version = goal.version
    with organization_scope(org.organization):
        services.goal_update_post(
            actor=org.report, goal=goal, confidence="on_track", value=Decimal("5")
        )
        agreed = services.goal_agree(actor=org.manager, goal=goal, expected_version=read_version)
    assert agreed.is_agreed


def test_the_page_answers_409_and_keeps_the_reward_typed_when_the_goal_changed(
    org: OrgPeople, client_for: ClientFor
) -> None:
    goal = create_goal(org.report)
    page = client_for(org.manager).get(detail(goal)).content.decode()
    assert f'name="version" value="{goal.version}"' in page
    with organization_scope(org.organization):
        services.goal_update(actor=org.report, goal=goal, target_value=Decimal("500"))
    response = client_for(org.manager).post(
        agree_page(goal),
        {"version": goal.version, "reward_text": "A week in Lisbon", "reward_amount": "900"},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "changed since you opened it" in body
    assert "A week in Lisbon" in body
    assert 'value="900"' in body
    assert "500" in body.split('id="goal-about-heading"', 1)[1]  # the goal as it is now
    assert f'name="version" value="{stored(goal).version}"' in body
    assert stored(goal).agreed_at is None


def test_the_api_answers_409_when_the_goal_changed_since_its_version(
    org: OrgPeople, api_as: ApiAs
) -> None:
    goal = create_goal(org.report)
    read = api_as(org.manager).get(f"/api/v1/orgs/{org.organization.slug}/goals/{goal.pk}/")
    version = read.json()["version"]
    with organization_scope(org.organization):
        services.goal_update(actor=org.report, goal=goal, title="Ship it twice")
    stale = api_as(org.manager).post(agree_api(goal), {"version": version}, format="json")
    assert stale.status_code == 409, stale.json()
    assert "version" in stale.json()["error"]["fields"]
    assert stored(goal).agreed_at is None


def test_the_home_page_tells_the_other_side_a_shared_goal_waits_for_them(
    org: OrgPeople,
) -> None:
    team_goal(org)
    by_owner = create_goal(
        org.owner, owner_kind=OwnerKind.ORGANIZATION, title="Open an office in Lisbon"
    )
    with organization_scope(org.organization):
        assert by_owner.proposed_by == org.owner
        assert org.owner.manager_id is None
        waiting = {
            person: selectors.whats_next_summary(actor=person).to_agree
            for person in (org.owner, org.hr, org.manager, org.report)
        }
    # The owner is above the manager; HR agrees what the top of the chain proposes.
    assert waiting == {org.owner: 1, org.hr: 1, org.manager: 0, org.report: 0}
