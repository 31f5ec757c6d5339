"""The org chart: boxes and lines a level at a time, never the whole organization
(issue 10 item 13, issue 13). The page shows the top and the first level of reports;
each deeper branch opens on demand, one page of reports at a time, with a "more" link
when a level is wide; the search answers a bounded number of people."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, MembershipStatus
from perfmgmt.web.trees import PAGE_SIZE, SEARCH_LIMIT
from tests.bulk import bulk_people
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory
from tests.tree_pages import get, link_depths, queries_of

pytestmark = pytest.mark.django_db

CHART = "/o/acme/people/org-chart/"


def chart_depths(html: str) -> dict[int, int]:
    return link_depths(html, list_class="org-chart", section="people")


def in_acme(org: OrgPeople, **fields: object) -> Membership:
    member: Membership = MembershipFactory.create(organization=org.organization, **fields)
    return member


def test_the_chart_shows_the_top_and_one_level_and_opens_deeper_branches_on_demand(
    org: OrgPeople, other_org: OrgPeople, client_for
) -> None:
    chain = [org.report]
    for _level in range(6):
        chain.append(in_acme(org, manager=chain[-1]))
    gone = in_acme(org, manager=org.report, status=MembershipStatus.LEFT)
    client = client_for(org.colleague)

    html = get(client, CHART)
    depths = chart_depths(html)

    assert depths == {
        org.owner.pk: 1,
        org.hr.pk: 2,
        org.manager.pk: 2,
        org.colleague.pk: 2,
    }
    assert "2 reports" in html  # the manager's branch, closed, with how many are in it
    opens = f'hx-get="/o/acme/people/org-chart/{org.manager.pk}/reports/"'
    assert opens in html
    assert 'hx-trigger="toggle once"' in html
    assert f'href="{CHART}?root={org.manager.pk}"' in html  # the same without JavaScript
    assert "globex" not in html.lower()

    branch = get(client, f"{CHART}{org.manager.pk}/reports/", htmx=True)
    assert set(chart_depths(f'<ul class="org-chart">{branch}</ul>')) == {
        org.report.pk,
        org.report2.pk,
    }
    deeper = get(client, f"{CHART}{org.report.pk}/reports/", htmx=True)
    assert set(chart_depths(f'<ul class="org-chart">{deeper}</ul>')) == {chain[1].pk}
    assert str(gone.pk) not in deeper


def test_the_chart_opened_at_a_person_shows_the_way_up_and_their_reports(
    org: OrgPeople, client_for
) -> None:
    html = get(client_for(org.report), f"{CHART}?root={org.manager.pk}")

    path = html[html.index('class="tree-path"') : html.index("</nav>", html.index("tree-path"))]
    assert "Olivia Owner" in path
    assert f'href="{CHART}?root={org.report.pk}">Show where I am in the chart' in html
    assert 'aria-current="location"' in path
    assert chart_depths(html) == {org.manager.pk: 1, org.report.pk: 2, org.report2.pk: 2}


def test_reports_of_someone_who_left_move_up_and_the_one_who_left_is_not_found(
    org: OrgPeople, client_for
) -> None:
    client_for(org.hr).post(f"/o/acme/people/{org.manager.pk}/deactivate/")
    client = client_for(org.colleague)

    depths = chart_depths(get(client, CHART))
    branch = get(client, f"{CHART}{org.owner.pk}/reports/", htmx=True)

    assert org.manager.pk not in depths
    moved = set(chart_depths(f'<ul class="org-chart">{branch}</ul>'))
    assert {org.report.pk, org.report2.pk} <= moved
    get(client, f"{CHART}{org.manager.pk}/reports/", status=404, htmx=True)
    get(client, f"{CHART}?root={org.manager.pk}", status=404)
    assert "Max Manager" not in get(client, f"{CHART}search/?q=Max", htmx=True)


def test_another_organizations_person_is_a_404_on_every_part_of_the_chart(
    org: OrgPeople, other_org: OrgPeople, client_for
) -> None:
    client = client_for(org.colleague)
    stranger = other_org.manager.pk

    get(client, f"{CHART}{stranger}/reports/", status=404, htmx=True)
    get(client, f"{CHART}?root={stranger}", status=404)
    get(client, f"{CHART}?root=not-a-number", status=404)
    assert "(globex)" not in get(client, f"{CHART}search/?q=Max", htmx=True)


def test_a_wide_level_shows_a_page_and_a_more_link_that_loads_the_next_page(
    org: OrgPeople, client_for
) -> None:
    with organization_scope(org.organization):
        wide = bulk_people(org.organization, count=PAGE_SIZE + 7, manager=org.report)
    client = client_for(org.colleague)

    first = get(client, f"{CHART}{org.report.pk}/reports/", htmx=True)
    shown = chart_depths(f'<ul class="org-chart">{first}</ul>')
    more = f'hx-get="/o/acme/people/org-chart/{org.report.pk}/reports/?start={PAGE_SIZE}"'
    second = get(client, f"{CHART}{org.report.pk}/reports/?start={PAGE_SIZE}", htmx=True)
    rest = chart_depths(f'<ul class="org-chart">{second}</ul>')

    assert len(shown) == PAGE_SIZE
    assert more in first
    assert "7 more" in first
    assert set(shown) | set(rest) == {person.pk for person in wide}
    assert f'id="org-chart-more-{org.report.pk}-{PAGE_SIZE}"' in second  # focus lands here
    assert "Show more" not in second
    # Without JavaScript the same link opens the chart at the person, from there.
    no_script = get(client, f"{CHART}?root={org.report.pk}&start={PAGE_SIZE}")
    assert set(chart_depths(no_script)) == set(rest) | {org.report.pk}


def test_the_search_answers_a_bounded_number_of_people_and_opens_the_chart_at_them(
    org: OrgPeople, client_for
) -> None:
    with organization_scope(org.organization):
        bulk_people(org.organization, count=SEARCH_LIMIT + 5, manager=org.manager, name="Sam")
    client = client_for(org.colleague)

    found = get(client, f"{CHART}search/?q=sam", htmx=True)
    page = get(client, f"{CHART}?q=sam")  # the same without JavaScript

    assert found.count("in the chart</a>") == SEARCH_LIMIT
    assert "type more of the name" in found
    assert found.strip() in page
    assert "reports to Max Manager" in found
    assert "Nobody matches" in get(client, f"{CHART}search/?q=zzzz", htmx=True)
    assert get(client, f"{CHART}search/?q=", htmx=True).strip() == ""


def test_the_chart_is_a_nested_list_with_native_controls_for_keyboards_and_screen_readers(
    org: OrgPeople, client_for
) -> None:
    html = get(client_for(org.colleague), CHART)

    assert '<ul class="org-chart tree tree-top" aria-label="Org chart">' in html
    assert 'role="search"' in html
    assert '<label for="org-chart-q">' in html
    assert 'aria-live="polite"' in html
    # Each branch is a details/summary (Enter or Space opens it, "collapsed/expanded" is
    # announced), its list named after the person, and the profile link is never inside it.
    summaries = re.findall(r"<summary>(.*?)</summary>", html, flags=re.S)
    assert summaries
    assert all("<a " not in summary for summary in summaries)
    assert 'aria-label="Reports of Max Manager (acme)"' in html


def sized_chart(client: Client, url: str) -> tuple[int, int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return len(chart_depths(html)), len(html), len(queries)


@pytest.mark.parametrize("shape", ["wide", "deep"])
def test_the_chart_does_not_grow_with_the_organization(
    org: OrgPeople, other_org: OrgPeople, client_for, shape: str
) -> None:
    """30 people and then 300 more, under the owner (wide) or as a chain of teams (deep):
    the same number of boxes, about the same bytes and the same queries."""
    client = client_for(org.colleague)

    def grow(count: int) -> None:
        with organization_scope(org.organization):
            if shape == "wide":
                bulk_people(org.organization, count=count, manager=org.owner)
                return
            manager = org.report
            for _step in range(count // 10):
                team = bulk_people(org.organization, count=10, manager=manager)
                manager = team[0]

    grow(30)
    client.get(CHART)  # warm once-per-process lookups
    small = sized_chart(client, CHART)
    grow(300)
    large = sized_chart(client, CHART)

    assert large[0] <= 1 + PAGE_SIZE  # the owner and one page of their reports, at most
    assert large[1] <= small[1] + (large[0] - small[0]) * 500  # a few hundred bytes a box
    assert large[2] == small[2]
    if shape == "deep":
        assert large[:2] == small[:2]


def test_a_branch_the_top_and_the_search_run_the_same_queries_at_5_and_at_55_people(
    org: OrgPeople, client_for
) -> None:
    client = client_for(org.colleague)
    urls = [f"{CHART}{org.report.pk}/reports/", f"{CHART}top/", f"{CHART}search/?q=Person"]

    def add(count: int) -> None:
        with organization_scope(org.organization):
            bulk_people(org.organization, count=count, manager=org.report)
            bulk_people(org.organization, count=count, manager=None)

    add(5)
    for url in urls:
        queries_of(client, url)
    small = [queries_of(client, url) for url in urls]
    add(50)
    large = [queries_of(client, url) for url in urls]

    assert large == small
