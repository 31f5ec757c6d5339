"""The goal tree, a level at a time (issue 13): the top goals and the goals right under
them; deeper branches open on demand with the same visibility as the page, wide levels
are paged with a "more" link, and the page does not grow with the number of goals."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from goals.models import Goal, GoalStatus, Visibility
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.web.trees import PAGE_SIZE
from tests.bulk import bulk_goals
from tests.conftest import OrgPeople
from tests.tree_pages import get, link_depths, queries_of

pytestmark = pytest.mark.django_db

TREE = "/o/acme/goals/tree/"


def depths(html: str, fragment: bool = False) -> dict[int, int]:
    wrapped = f'<ul class="goal-tree">{html}</ul>' if fragment else html
    return link_depths(wrapped, list_class="goal-tree", section="goals")


def chain(org: OrgPeople, length: int, **fields: str) -> list[Goal]:
    goals: list[Goal] = []
    with organization_scope(org.organization):
        for step in range(length):
            parent = goals[-1] if goals else None
            goals += bulk_goals(
                org.organization,
                count=1,
                owner=org.report,
                parent=parent,
                title=f"Step {step}",
                **fields,
            )
    return goals


def test_the_tree_shows_the_top_goals_and_one_level_and_opens_the_rest_on_demand(
    org: OrgPeople, other_org: OrgPeople, client_for
) -> None:
    goals = chain(org, 5)
    client = client_for(org.hr)

    html = get(client, TREE)

    assert depths(html) == {goals[0].pk: 1, goals[1].pk: 2}
    assert f'hx-get="/o/acme/goals/tree/{goals[1].pk}/children/"' in html
    assert f'href="{TREE}?root={goals[1].pk}"' in html  # the same without JavaScript
    assert "1 goal below" in html
    opened = get(client, f"{TREE}{goals[1].pk}/children/", htmx=True)
    assert depths(opened, fragment=True) == {goals[2].pk: 1}
    at = get(client, f"{TREE}?root={goals[3].pk}")
    assert depths(at) == {goals[3].pk: 1, goals[4].pk: 2}
    path = at[at.index('class="tree-path"') :]
    assert path.index(goals[0].title) < path.index(goals[2].title) < path.index("aria-current")


def test_branches_answer_with_the_visibility_of_the_page(org: OrgPeople, client_for) -> None:
    """The colleague may not read the report's private goals: a branch of them is a 404,
    and a goal they may read under one of them starts a tree of its own."""
    private = chain(org, 2, visibility=Visibility.OWNER_AND_MANAGERS)
    with organization_scope(org.organization):
        shared = bulk_goals(
            org.organization,
            count=1,
            owner=org.report,
            parent=private[1],
            visibility=Visibility.EVERYONE,
        )[0]
    colleague, manager = client_for(org.colleague), client_for(org.manager)

    html = get(colleague, TREE)

    assert depths(html) == {shared.pk: 1}
    for goal in private:
        get(colleague, f"{TREE}{goal.pk}/children/", status=404, htmx=True)
        get(colleague, f"{TREE}?root={goal.pk}", status=404)
    assert depths(get(manager, TREE)) == {private[0].pk: 1, private[1].pk: 2}
    assert depths(get(manager, f"{TREE}{private[1].pk}/children/", htmx=True), True) == {
        shared.pk: 1
    }


def test_another_organizations_goal_or_a_cancelled_one_is_a_404_on_every_part_of_the_tree(
    org: OrgPeople, other_org: OrgPeople, client_for
) -> None:
    theirs = chain(other_org, 2)
    ours = chain(org, 2)
    with organization_scope(org.organization):
        Goal.objects.filter(pk=ours[1].pk).update(status=GoalStatus.CANCELLED)
    client = client_for(org.hr)

    for goal in (theirs[0], ours[1]):
        get(client, f"{TREE}{goal.pk}/children/", status=404, htmx=True)
        get(client, f"{TREE}?root={goal.pk}", status=404)
    assert depths(get(client, TREE)) == {ours[0].pk: 1}
    get(client, f"{TREE}?root=junk", status=404)


def test_a_wide_level_shows_a_page_and_a_more_link_for_the_rest(org: OrgPeople, client_for) -> None:
    top = chain(org, 1)[0]
    with organization_scope(org.organization):
        wide = bulk_goals(org.organization, count=PAGE_SIZE + 3, owner=org.report, parent=top)
    client = client_for(org.hr)

    html = get(client, TREE)
    rest = get(client, f"{TREE}{top.pk}/children/?start={PAGE_SIZE}", htmx=True)

    assert len(depths(html)) == 1 + PAGE_SIZE
    assert f'hx-get="/o/acme/goals/tree/{top.pk}/children/?start={PAGE_SIZE}"' in html
    assert "(3 more)" in html
    assert set(depths(html)) | set(depths(rest, True)) == {top.pk} | {g.pk for g in wide}
    assert f'id="goal-tree-more-{top.pk}-{PAGE_SIZE}"' in rest


def test_the_tree_is_a_nested_list_named_for_screen_readers_with_native_controls(
    org: OrgPeople, client_for
) -> None:
    goals = chain(org, 3)

    html = get(client_for(org.hr), TREE)

    assert 'aria-label="Goals and the goals that support them"' in html
    assert f'aria-label="Goals supporting {goals[0].title}"' in html
    summaries = re.findall(r"<summary>(.*?)</summary>", html, flags=re.S)
    assert len(summaries) == 2
    assert all("<a " not in summary for summary in summaries)


def measured(client: Client) -> tuple[int, int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(TREE)
    assert response.status_code == 200
    html = response.content.decode()
    return len(depths(html)), len(html), len(queries)


@pytest.mark.parametrize("shape", ["wide", "many-tops"])
def test_the_tree_as_hr_does_not_grow_with_the_number_of_goals(
    org: OrgPeople, other_org: OrgPeople, client_for, shape: str
) -> None:
    top = chain(org, 1)[0]
    client = client_for(org.hr)

    def grow(count: int) -> None:
        parent = top if shape == "wide" else None
        with organization_scope(org.organization):
            bulk_goals(org.organization, count=count, owner=org.report, parent=parent)

    grow(30)
    client.get(TREE)
    small = measured(client)
    grow(300)
    large = measured(client)

    assert large[0] <= 1 + PAGE_SIZE
    assert large[1] <= small[1] + (large[0] - small[0]) * 1500
    assert large[2] == small[2]


@pytest.mark.parametrize("viewer", ["hr", "colleague"])
def test_a_branch_and_the_top_run_the_same_queries_at_5_and_at_55_goals(
    org: OrgPeople, client_for, viewer: str
) -> None:
    top = chain(org, 1, visibility=Visibility.EVERYONE)[0]
    client = client_for(getattr(org, viewer))
    urls = [f"{TREE}{top.pk}/children/", f"{TREE}top/", TREE]

    def add(count: int) -> None:
        with organization_scope(org.organization):
            bulk_goals(org.organization, count=count, owner=org.report, parent=top)
            bulk_goals(org.organization, count=count, owner=org.report)

    add(5)
    for url in urls:
        queries_of(client, url)
    small = [queries_of(client, url) for url in urls]
    add(50)
    large = [queries_of(client, url) for url in urls]

    assert large == small
