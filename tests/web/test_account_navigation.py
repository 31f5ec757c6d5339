"""Account pages (password, two-factor, preferences) reached from an organization keep its
navigation (issue 10, item 17). The organization is named by `?org=<slug>` or by the page the
person came from, and counts only if the person belongs to it: it shows a menu, it grants
nothing."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, MembershipStatus
from tests.conftest import OrgPeople

ACCOUNT_PAGES = ["/accounts/password/change/", "/accounts/2fa/", "/preferences/"]


def main_navigation(html: str) -> list[str]:
    found = re.search(r'<nav class="main-nav" aria-label="Main">(.*?)</nav>', html, re.S)
    return re.findall(r'href="([^"]+)"', found.group(1)) if found else []


def account_menu_links(html: str) -> list[str]:
    found = re.search(r'<details class="menu account-menu">(.*?)</details>', html, re.S)
    assert found, html
    return re.findall(r'<a class="menu-item" href="([^"]+)"', found.group(1))


@pytest.mark.parametrize("path", ACCOUNT_PAGES)
def test_an_account_page_opened_from_an_organization_keeps_its_navigation(
    path: str, org: OrgPeople, client_for: Callable[[Membership], Client]
) -> None:
    response = client_for(org.report).get(path, {"org": "acme"})

    assert response.status_code == 200
    navigation = main_navigation(response.content.decode())
    assert "/o/acme/goals/" in navigation
    assert all(url.startswith("/o/acme/") for url in navigation if url.startswith("/o/"))


def test_the_organization_the_person_came_from_gives_the_navigation(
    org: OrgPeople, client_for: Callable[[Membership], Client]
) -> None:
    client = client_for(org.report)

    from_goals = client.get(
        "/accounts/password/change/", headers={"referer": "http://testserver/o/acme/goals/"}
    )
    # Moving on between account pages: the previous one named the organization.
    from_account_page = client.get(
        "/accounts/2fa/",
        headers={"referer": "http://testserver/accounts/password/change/?org=acme"},
    )

    assert "/o/acme/goals/" in main_navigation(from_goals.content.decode())
    assert "/o/acme/goals/" in main_navigation(from_account_page.content.decode())


def test_another_sites_page_or_an_organization_one_is_not_in_gives_no_navigation(
    org: OrgPeople, other_org: OrgPeople, client_for: Callable[[Membership], Client]
) -> None:
    client = client_for(org.report)
    cases = [
        client.get("/accounts/password/change/", {"org": "globex"}),
        client.get("/accounts/password/change/", {"org": "no-such-organization"}),
        client.get(
            "/accounts/password/change/", headers={"referer": "http://evil.example/o/acme/goals/"}
        ),
        client.get("/accounts/password/change/"),
    ]
    for response in cases:
        assert response.status_code == 200
        html = response.content.decode()
        assert main_navigation(html) == []
        assert "globex" not in html.lower()


def test_someone_who_left_the_organization_gets_no_navigation_from_it(
    org: OrgPeople, client_for: Callable[[Membership], Client]
) -> None:
    with organization_scope(org.organization):
        Membership.objects.filter(pk=org.report.pk).update(status=MembershipStatus.LEFT)

    response = client_for(org.report).get("/accounts/password/change/", {"org": "acme"})

    assert main_navigation(response.content.decode()) == []


def test_naming_an_organization_grants_nothing_on_the_account_page(
    org: OrgPeople, client_for: Callable[[Membership], Client]
) -> None:
    """The page still runs outside any organization: HR's entries are not shown to an
    employee, whatever the query string says."""
    report = main_navigation(
        client_for(org.report).get("/preferences/", {"org": "acme"}).content.decode()
    )
    hr = main_navigation(client_for(org.hr).get("/preferences/", {"org": "acme"}).content.decode())

    assert set(report) < set(hr)
    assert "/o/acme/settings/api/" not in report


def test_the_account_menu_of_an_organization_page_names_the_organization(
    org: OrgPeople, client_for: Callable[[Membership], Client]
) -> None:
    html = client_for(org.report).get("/o/acme/goals/").content.decode()

    links = account_menu_links(html)
    assert "/accounts/password/change/?org=acme" in links
    assert "/accounts/2fa/?org=acme" in links
