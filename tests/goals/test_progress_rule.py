"""The one progress rule (docs/goal-progress.md), through the services, the goal page and
every list that shows a goal's progress.

1. A completed goal is at 100 %.
2. A goal with a measure of its own (start and target, or milestones) reports it; the goals
   supporting it are shown beside it and do not replace it.
3. Otherwise it rolls up the goals supporting it: their weighted mean, each at most 100 %.
   Goals below that were never agreed (proposals) and cancelled ones do not count; a goal
   changed after it was agreed still counts while it waits to be agreed again.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from goals import selectors, services
from goals.models import Goal, GoalStatus, GoalType, OwnerKind
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople

from .factories import create_goal, post_update

pytestmark = pytest.mark.django_db

ClientFor = Callable[[Membership], Client]
ApiAs = Callable[[Membership], APIClient]


def refreshed(goal: Goal) -> Goal:
    with organization_scope(goal.organization):
        goal.refresh_from_db()
    return goal


def agreed(org: OrgPeople, goal: Goal) -> Goal:
    """The report's or report2's goal, agreed by their manager."""
    with organization_scope(org.organization):
        return services.goal_agree(actor=org.manager, goal=goal)


def company_goal(org: OrgPeople, **kwargs: Any) -> Goal:
    """An organization goal with no measure of its own: its progress is its goals' roll-up."""
    kwargs.setdefault("title", "Be the most reliable vendor")
    return create_goal(
        org.hr, owner_kind=OwnerKind.ORGANIZATION, goal_type=GoalType.QUALITATIVE, **kwargs
    )


def team_goal(org: OrgPeople, **kwargs: Any) -> Goal:
    kwargs.setdefault("title", "Fewer incidents")
    return create_goal(org.manager, owner_kind=OwnerKind.TEAM, owner_team=org.report.team, **kwargs)


def test_a_goal_with_its_own_measure_reports_it_not_its_childrens_progress(
    org: OrgPeople,
) -> None:
    # The case: "now 10 incidents (target 5)" showed 100 % because its child
    # reported 7 of 5 runbooks.
    incidents = team_goal(
        org, unit="incidents", start_value=Decimal("20"), target_value=Decimal("5")
    )
    post_update(org.manager, incidents, value=Decimal("10"))
    runbooks = agreed(
        org,
        create_goal(
            org.report, parent=incidents, start_value=Decimal("0"), target_value=Decimal("5")
        ),
    )
    post_update(org.report, runbooks, value=Decimal("7"))
    assert refreshed(runbooks).progress == Decimal("1")
    # (10 - 20) / (5 - 20) = 2/3
    assert refreshed(incidents).progress == Decimal("0.6667")


def test_milestones_are_a_goals_own_measure_too(org: OrgPeople) -> None:
    guide = create_goal(
        org.report, goal_type=GoalType.QUALITATIVE, milestones=["Outline", "Draft", "Publish"]
    )
    child = agreed(org, create_goal(org.report, parent=guide))
    post_update(org.report, child, value=Decimal("100"))
    with organization_scope(org.organization):
        outline = guide.milestones.first()
    assert outline is not None
    post_update(org.report, guide, done_milestones=[outline.pk])
    assert refreshed(guide).progress == Decimal("0.3333")


def test_goals_below_that_were_never_agreed_do_not_count_in_a_roll_up(org: OrgPeople) -> None:
    company = company_goal(org)
    started = agreed(org, create_goal(org.report, parent=company, title="Agreed"))
    post_update(org.report, started, value=Decimal("30"))
    assert refreshed(company).progress == Decimal("0.3")
    proposal = create_goal(org.report2, parent=company, title="Only proposed")
    post_update(org.report2, proposal, value=Decimal("100"))
    assert refreshed(proposal).progress == Decimal("1")
    assert refreshed(company).progress == Decimal("0.3"), "a proposal moved the company goal"
    agreed(org, proposal)
    # (0.3 + 1) / 2: once agreed, it counts.
    assert refreshed(company).progress == Decimal("0.65")


def test_a_child_changed_after_it_was_agreed_still_counts_while_it_waits(
    org: OrgPeople,
) -> None:
    company = company_goal(org)
    child = agreed(org, create_goal(org.report, parent=company))
    post_update(org.report, child, value=Decimal("40"))
    with organization_scope(org.organization):
        child = services.goal_update(actor=org.report, goal=child, title="Renamed")
    assert child.needs_agreement
    assert refreshed(company).progress == Decimal("0.4")


def test_cancelled_goals_do_not_count_and_each_child_counts_at_most_100_percent(
    org: OrgPeople,
) -> None:
    company = company_goal(org)
    over = agreed(
        org, create_goal(org.report, parent=company, start_value=0, target_value=Decimal("5"))
    )
    post_update(org.report, over, value=Decimal("7"))  # 7 of 5: 140 %, counts as 100 %
    heavy = agreed(org, create_goal(org.report2, parent=company, weight=Decimal("3")))
    post_update(org.report2, heavy, value=Decimal("20"))
    stalled = agreed(org, create_goal(org.report, parent=company, title="Stalled"))
    # (1 * 1.0 + 3 * 0.2 + 1 * 0) / 5
    assert refreshed(company).progress == Decimal("0.32")
    with organization_scope(org.organization):
        services.goal_update(actor=org.report, goal=stalled, status=GoalStatus.CANCELLED)
    # (1 * 1.0 + 3 * 0.2) / 4
    assert refreshed(company).progress == Decimal("0.4")


def test_a_completed_goal_is_at_100_percent_whatever_its_measure(org: OrgPeople) -> None:
    goal = team_goal(org)
    with organization_scope(org.organization):
        goal = services.goal_update(actor=org.manager, goal=goal, status=GoalStatus.COMPLETED)
    assert goal.progress == Decimal("1")


def test_the_breakdown_says_how_the_stored_figure_was_computed(org: OrgPeople) -> None:
    from goals.services.progress import Basis, progress_breakdown

    company = company_goal(org)
    counted = agreed(org, create_goal(org.report, parent=company))
    post_update(org.report, counted, value=Decimal("50"))
    create_goal(org.report2, parent=company, title="A proposal")
    cancelled = agreed(org, create_goal(org.report, parent=company, title="Dropped"))
    with organization_scope(org.organization):
        services.goal_update(actor=org.report, goal=cancelled, status=GoalStatus.CANCELLED)
        breakdown = progress_breakdown(refreshed(company))
    assert breakdown.basis == Basis.CHILDREN
    assert breakdown.progress == refreshed(company).progress == Decimal("0.5")
    assert (breakdown.children_counted, breakdown.children_not_agreed) == (1, 1)
    assert breakdown.children_cancelled == 1


# --- What people see ---------------------------------------------------------------------


def test_the_goal_page_shows_one_figure_and_how_it_was_computed(
    org: OrgPeople, client_for: ClientFor
) -> None:
    incidents = team_goal(
        org, unit="incidents", start_value=Decimal("20"), target_value=Decimal("5")
    )
    post_update(org.manager, incidents, value=Decimal("10"))
    child = agreed(org, create_goal(org.report, parent=incidents, title="Write runbooks"))
    post_update(org.report, child, value=Decimal("100"))
    url = reverse("goals:detail", args=[org.organization.slug, incidents.pk])
    page = client_for(org.manager).get(url).content.decode()
    how = page.split('id="goal-progress-how"', 1)[1].split("</p>", 1)[0]
    assert "its own measure" in how
    assert "10 incidents" in how
    assert "1 goal supporting it" in how
    assert "rolled up from its goals below" not in page
    assert page.count('<progress max="100" value="67"') == 1


def test_the_goal_page_says_which_goals_below_were_left_out(
    org: OrgPeople, client_for: ClientFor
) -> None:
    company = company_goal(org)
    create_goal(org.report2, parent=company, title="A proposal")
    url = reverse("goals:detail", args=[org.organization.slug, company.pk])
    page = client_for(org.hr).get(url).content.decode()
    how = page.split('id="goal-progress-how"', 1)[1].split("</p>", 1)[0]
    assert "1 not agreed yet" in how


def test_lists_the_tree_and_the_api_show_the_same_figure_as_the_goal_page(
    org: OrgPeople, client_for: ClientFor, api_as: ApiAs
) -> None:
    incidents = team_goal(org, start_value=Decimal("20"), target_value=Decimal("5"))
    post_update(org.manager, incidents, value=Decimal("10"))
    child = agreed(org, create_goal(org.report, parent=incidents))
    post_update(org.report, child, value=Decimal("100"))
    slug = org.organization.slug
    client = client_for(org.manager)
    shown = '<progress max="100" value="67" aria-label="Progress of Fewer incidents"'
    for name in ("detail", "tree", "team", "mine"):
        kwargs = {"goal_id": incidents.pk} if name == "detail" else {}
        page = client.get(reverse(f"goals:{name}", kwargs={"org_slug": slug, **kwargs}))
        assert shown in page.content.decode(), name
    body = api_as(org.manager).get(f"/api/v1/orgs/{slug}/goals/{incidents.pk}/").json()
    assert body["progress"] == "0.6667"
    with organization_scope(org.organization):
        listed = selectors.goal_list(actor=org.manager, parent_id=None).get(pk=incidents.pk)
    assert listed.progress == Decimal("0.6667")
