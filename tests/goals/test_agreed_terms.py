"""What both sides agreed on a goal holds: changing any of it clears the agreement, keeps the
agreed version and is audited, through the service, the API and the page. Progress does not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from goals import services
from goals.models import Goal, GoalRevision, GoalType, OwnerKind
from perfmgmt.audit.models import AuditEntry
from perfmgmt.errors import DomainError, PermissionDeniedError
from perfmgmt.notifications.models import Notification
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople

from .factories import create_goal, post_update

pytestmark = pytest.mark.django_db

ApiAs = Callable[[Membership], APIClient]
ClientFor = Callable[[Membership], Client]


def agreed_goal(org: OrgPeople, **kwargs: Any) -> Goal:
    """The report's goal, agreed by their manager with a 1,000 EUR bonus."""
    kwargs.setdefault("start_date", date(2026, 1, 1))
    kwargs.setdefault("due_date", date(2026, 12, 31))
    goal = create_goal(org.report, unit="EUR", milestones=["Pilot"], **kwargs)
    with organization_scope(org.organization):
        goal = services.goal_agree(
            actor=org.manager, goal=goal, reward_text="Bonus", reward_amount=Decimal("1000")
        )
    assert goal.is_agreed
    return goal


def stored(goal: Goal) -> Goal:
    with organization_scope(goal.organization):
        goal.refresh_from_db()
    return goal


def changes_audited(goal: Goal) -> list[tuple[str, dict[str, Any]]]:
    with organization_scope(goal.organization):
        entries = AuditEntry.objects.filter(target_id=str(goal.pk)).exclude(action="goals.agreed")
        return list(entries.order_by("id").values_list("action", "changes"))


def revisions(goal: Goal) -> list[dict[str, Any]]:
    with organization_scope(goal.organization):
        return [r.previous for r in GoalRevision.objects.filter(goal=goal).order_by("id")]


def goal_url(goal: Goal, resource: str = "goals", tail: str = "") -> str:
    return f"/api/v1/orgs/{goal.organization.slug}/{resource}/{goal.pk}/{tail}"


# --- Through the service -------------------------------------------------------------------


def test_raising_the_agreed_reward_clears_the_agreement_keeps_it_and_is_audited(
    org: OrgPeople,
) -> None:
    goal = agreed_goal(org)
    with organization_scope(org.organization):
        goal = services.goal_update(actor=org.report, goal=goal, reward_amount=Decimal("50000"))
    assert goal.agreed_at is None
    assert goal.agreed_by is None
    assert goal.needs_agreement
    assert goal.proposed_by == org.report
    [previous] = revisions(goal)
    assert previous["reward_amount"] == "1000.00"
    assert previous["reward_text"] == "Bonus"
    assert previous["agreed_by"] == org.manager.pk
    assert changes_audited(goal) == [
        ("goals.agreed_terms_changed", {"reward_amount": ["1000.00", "50000.00"]})
    ]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("title", "Sell the new plan"),
        ("description", "Half of it abroad"),
        ("goal_type", GoalType.QUALITATIVE),
        ("unit", "USD"),
        ("start_value", Decimal("10")),
        ("target_value", Decimal("80")),
        ("start_date", date(2026, 2, 1)),
        ("due_date", date(2026, 6, 30)),
        ("weight", Decimal("3")),
        ("reward_text", "A bigger bonus"),
        ("reward_amount", Decimal("0")),
        ("milestones", ["Second pilot"]),
    ],
)
def test_changing_any_agreed_term_asks_for_agreement_again(
    org: OrgPeople, name: str, value: Any
) -> None:
    goal = agreed_goal(org)
    with organization_scope(org.organization):
        goal = services.goal_update(actor=org.report, goal=goal, **{name: value})
    assert goal.needs_agreement
    [previous] = revisions(goal)
    assert previous["title"] == "Ship the new onboarding"
    assert previous["milestones"] == ["Pilot"]
    [(action, audited)] = changes_audited(goal)
    assert action == "goals.agreed_terms_changed"
    assert set(audited) == {name}


def test_progress_and_who_reads_the_goal_do_not_touch_the_agreement(org: OrgPeople) -> None:
    goal = agreed_goal(org)
    post_update(org.report, goal, value=Decimal("40"))
    with organization_scope(org.organization):
        milestone = goal.milestones.get()
        services.goal_update_post(
            actor=org.report, goal=goal, confidence="on_track", done_milestones=[milestone.pk]
        )
        goal = services.goal_update(
            actor=org.report, goal=goal, current_value=Decimal("45"), visibility="everyone"
        )
    assert goal.is_agreed
    assert goal.agreed_by == org.manager
    assert revisions(goal) == []
    assert changes_audited(goal) == [
        (
            "goals.agreed_goal_changed",
            {"current_value": ["40.0000", "45.0000"], "visibility": ["team", "everyone"]},
        )
    ]


def test_sending_the_agreed_values_again_changes_nothing(org: OrgPeople) -> None:
    goal = agreed_goal(org)
    with organization_scope(org.organization):
        goal = services.goal_update(
            actor=org.report,
            goal=goal,
            title="  Ship the new onboarding ",
            reward_amount=Decimal("1000.0"),
            target_value=Decimal("100"),
            reward_text="Bonus",
            milestones=["  "],
        )
    assert goal.is_agreed
    assert revisions(goal) == []
    assert changes_audited(goal) == []


def test_the_other_side_is_asked_again_and_only_they_agree_the_change(org: OrgPeople) -> None:
    goal = agreed_goal(org)
    with organization_scope(org.organization):
        goal = services.goal_update(actor=org.report, goal=goal, reward_amount=Decimal("50000"))
        asked = list(
            Notification.objects.filter(kind="goal-agreement-asked").values_list(
                "recipient_id", flat=True
            )
        )
        with pytest.raises(PermissionDeniedError):
            services.goal_agree(actor=org.report, goal=goal)
        goal = services.goal_agree(actor=org.manager, goal=goal)
    assert asked == [org.manager.pk]
    assert goal.agreed_by == org.manager
    assert goal.reward_amount == Decimal("50000")


def test_a_change_by_the_manager_is_agreed_again_by_the_person(org: OrgPeople) -> None:
    goal = agreed_goal(org)
    with organization_scope(org.organization):
        goal = services.goal_update(actor=org.manager, goal=goal, reward_amount=Decimal("10"))
        with pytest.raises(PermissionDeniedError):
            services.goal_agree(actor=org.manager, goal=goal)
        assert Notification.objects.filter(
            kind="goal-agreement-asked", recipient=org.report
        ).exists()
        assert services.goal_agree(actor=org.report, goal=goal).agreed_by == org.report


def test_the_person_agreeing_their_managers_proposal_cannot_write_themselves_a_reward(
    org: OrgPeople, api_as: ApiAs
) -> None:
    goal = create_goal(org.manager, owner_person=org.report, reward_amount=Decimal("1000"))
    with organization_scope(org.organization), pytest.raises(DomainError) as error:
        services.goal_agree(actor=org.report, goal=goal, reward_amount=Decimal("50000"))
    assert set(error.value.fields) == {"reward_amount"}
    response = api_as(org.report).post(
        goal_url(goal, tail="agree/"), {"reward_amount": "50000"}, format="json"
    )
    assert response.status_code == 400
    assert not stored(goal).is_agreed
    accepted = api_as(org.report).post(
        goal_url(goal, tail="agree/"), {"reward_amount": "1000.00"}, format="json"
    )
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["reward_amount"] == "1000.00"


# --- Through the API -----------------------------------------------------------------------


def test_an_employee_patching_the_agreed_reward_over_the_api_needs_a_new_agreement(
    org: OrgPeople, api_as: ApiAs
) -> None:
    goal = agreed_goal(org)
    response = api_as(org.report).patch(goal_url(goal), {"reward_amount": "50000"}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["reward_amount"] == "50000.00"
    assert body["agreed_by"] is None
    assert body["agreed_at"] is None
    assert body["needs_agreement"] is True
    kept = api_as(org.manager).get(goal_url(goal, tail="revisions/"))
    assert kept.status_code == 200
    [revision] = kept.json()["results"]
    assert revision["changed_by"] == org.report.pk
    assert revision["previous"]["reward_amount"] == "1000.00"
    assert revision["previous"]["agreed_by"] == org.manager.pk
    assert changes_audited(goal) == [
        ("goals.agreed_terms_changed", {"reward_amount": ["1000.00", "50000.00"]})
    ]


def test_the_same_patch_twice_keeps_one_agreed_version(org: OrgPeople, api_as: ApiAs) -> None:
    goal = agreed_goal(org)
    for _ in range(2):
        api_as(org.report).patch(goal_url(goal), {"reward_amount": "50000"}, format="json")
    again = api_as(org.report).patch(goal_url(goal), {"title": goal.title}, format="json")
    assert again.status_code == 200
    assert len(revisions(goal)) == 1
    assert len(changes_audited(goal)) == 1


def test_renaming_an_agreed_key_result_needs_a_new_agreement(org: OrgPeople, api_as: ApiAs) -> None:
    parent = create_goal(
        org.manager, owner_kind=OwnerKind.TEAM, owner_team=org.report.team, title="Quality"
    )
    key_result = agreed_goal(org, parent=parent)
    response = api_as(org.report).patch(
        goal_url(key_result, "key-results"), {"title": "Sell twice as much"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["needs_agreement"] is True
    assert revisions(key_result)[0]["title"] == "Ship the new onboarding"


def test_earlier_agreed_rewards_are_shown_only_to_those_who_read_rewards(
    org: OrgPeople, api_as: ApiAs
) -> None:
    goal = agreed_goal(org, visibility="everyone")
    api_as(org.report).patch(goal_url(goal), {"reward_amount": "50000"}, format="json")
    [revision] = api_as(org.colleague).get(goal_url(goal, tail="revisions/")).json()["results"]
    assert "reward_amount" not in revision["previous"]
    assert revision["previous"]["target_value"] == "100.0000"


# --- Through the page ----------------------------------------------------------------------


def test_editing_the_agreed_reward_on_the_page_needs_a_new_agreement(
    org: OrgPeople, client_for: ClientFor
) -> None:
    goal = agreed_goal(org)
    edit = reverse("goals:edit", args=[org.organization.slug, goal.pk])
    client = client_for(org.report)
    assert b'name="reward_amount"' in client.get(edit).content
    response = client.post(
        edit,
        {"title": goal.title, "goal_type": "quantitative", "unit": "EUR", "start_value": "0",
         "target_value": "100", "start_date": "2026-01-01", "due_date": "2026-12-31",
         "weight": "1", "visibility": "team", "status": "active", "reward_text": "Bonus",
         "reward_amount": "50000"},
    )  # fmt: skip
    assert response.status_code == 302
    goal = stored(goal)
    assert goal.needs_agreement
    assert goal.reward_amount == Decimal("50000")
    assert revisions(goal)[0]["reward_amount"] == "1000.00"
    assert [action for action, _ in changes_audited(goal)] == ["goals.agreed_terms_changed"]
    detail = client_for(org.manager).get(
        reverse("goals:detail", args=[org.organization.slug, goal.pk])
    )
    assert b"Earlier agreed versions" in detail.content
    assert b"reward: Bonus (1000)" in detail.content
    assert b"Agree goal" in detail.content
