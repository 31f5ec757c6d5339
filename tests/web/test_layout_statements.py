"""The page layout (navigation, menus, the unread count, the organization switcher) adds no
statement to a page: what it shows about the reader rides on the membership look-up that
every organization page runs (perfmgmt/tenancy/facts.py). And what it shows is the same as
the policies answer when asked one by one."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path

from perfmgmt import urls as project_urls
from perfmgmt.notifications.models import Notification
from perfmgmt.tenancy import facts
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, MembershipStatus
from perfmgmt.web import menu
from perfmgmt.web.base import OrgView
from tests.conftest import OrgPeople, login
from tests.factories import MembershipFactory
from tests.reviews.calibration_helpers import calibration_cycle, open_session
from tests.reviews.plan_helpers import make_plan
from tests.web.test_shell import give_notifications, header_unread_count, switcher_entries

pytestmark = pytest.mark.django_db


class FloorView(OrgView):
    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse("floor")


class EmptyLayoutView(OrgView):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "base.html", {})


urlpatterns: list[Any] = [
    path("o/<slug:org_slug>/test-floor/", FloorView.as_view()),
    path("o/<slug:org_slug>/test-layout/", EmptyLayoutView.as_view()),
    *project_urls.urlpatterns,
]

ROLES = ["owner", "hr", "manager", "report", "colleague"]


def statements(client: Client, url: str) -> tuple[int, str]:
    client.get(url)  # once-per-process look-ups (content types, sites) out of the way
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def navigation_labels(html: str) -> list[str]:
    nav = re.search(r'<nav class="main-nav" aria-label="Main">(.*?)</nav>', html, re.S)
    assert nav, "the page has no main navigation"
    return re.findall(r"<a href=\"[^\"]+\"[^>]*>([^<]+)</a>", nav[1])


def labels_from_the_policies(member: Membership) -> list[str]:
    """The menu as the registered policies answer for a membership loaded afresh, without
    the look-up's facts (each policy then reads on its own)."""
    with organization_scope(member.organization):
        fresh = Membership.objects.get(pk=member.pk)
        assert not any(hasattr(fresh, fact.attribute) for fact in facts.registered())
        return [str(entry.label) for entry in menu.entries_for(fresh)]


def with_every_fact_true(org: OrgPeople) -> None:
    """The manager takes part in a calibration session and has reports; the report's
    improvement plan is approved; the report has unread notifications."""
    cycle = calibration_cycle(org, [org.report, org.report2])
    open_session(org, cycle, managers=[org.manager])
    make_plan(org, approve=True)
    give_notifications(org.report, unread=2, read=1)


@pytest.mark.urls("tests.web.test_layout_statements")
@pytest.mark.parametrize("who", ROLES)
def test_the_empty_layout_runs_no_statement_beyond_the_floor(org: OrgPeople, who: str) -> None:
    with_every_fact_true(org)
    client = login(Client(), getattr(org, who))

    floor, _html = statements(client, "/o/acme/test-floor/")
    layout, html = statements(client, "/o/acme/test-layout/")

    # Session, login, and the membership with everything the layout shows about the reader.
    assert floor == 3
    assert layout == floor
    assert navigation_labels(html)
    assert switcher_entries(html) == {"Acme": "/o/acme/"}


@pytest.mark.urls("tests.web.test_layout_statements")
def test_a_login_in_several_organizations_gets_its_switcher_in_the_same_statement(
    org: OrgPeople, other_org: OrgPeople
) -> None:
    MembershipFactory.create(organization=other_org.organization, user=org.report.user)
    MembershipFactory.create(
        organization=other_org.organization,
        user=org.colleague.user,
        status=MembershipStatus.LEFT,
    )
    client = login(Client(), org.report)

    floor, _html = statements(client, "/o/acme/test-floor/")
    layout, html = statements(client, "/o/globex/test-layout/")

    assert layout == floor
    assert switcher_entries(html) == {"Acme": "/o/acme/", "Globex": "/o/globex/"}
    assert re.search(r'href="/o/globex/" aria-current="page">Globex<', html)
    nav = re.search(r'<nav class="main-nav".*?</nav>', html, re.S)
    assert nav
    organization_links = [url for url in re.findall(r'href="([^"]+)"', nav[0]) if "/o/" in url]
    assert organization_links
    assert all(url.startswith("/o/globex/") for url in organization_links)


@pytest.mark.parametrize("facts_true", [False, True], ids=["plain", "every-fact-true"])
@pytest.mark.parametrize("who", ROLES)
def test_the_navigation_is_what_the_policies_answer_for_each_role(
    org: OrgPeople, client_for, who: str, facts_true: bool
) -> None:
    if facts_true:
        with_every_fact_true(org)
    member = getattr(org, who)

    html = client_for(member).get("/o/acme/").content.decode()

    assert navigation_labels(html) == labels_from_the_policies(member)


def test_the_facts_show_in_the_navigation_of_the_people_they_are_about(
    org: OrgPeople, client_for
) -> None:
    def navigation(member: Membership) -> list[str]:
        return navigation_labels(client_for(member).get("/o/acme/").content.decode())

    assert "My team" not in navigation(org.report)
    assert "Improvement plans" not in navigation(org.report)
    assert "Calibration" not in navigation(org.manager)

    with_every_fact_true(org)

    assert {"My team", "Improvement plans", "Calibration"} <= set(navigation(org.manager))
    assert "Improvement plans" in navigation(org.report)
    assert "My team" not in navigation(org.report)
    assert "Calibration" not in navigation(org.colleague)
    assert {"Improvement plans", "Calibration"} <= set(navigation(org.hr))


def test_a_reporting_change_shows_in_the_next_page(org: OrgPeople, client_for) -> None:
    client = client_for(org.manager)
    assert "My team" in navigation_labels(client.get("/o/acme/").content.decode())

    with organization_scope(org.organization):
        Membership.objects.filter(manager=org.manager).update(status=MembershipStatus.LEFT)

    assert "My team" not in navigation_labels(client.get("/o/acme/").content.decode())


def test_every_fact_read_with_the_look_up_equals_the_fact_read_alone(org: OrgPeople) -> None:
    with_every_fact_true(org)
    people = [getattr(org, who) for who in ROLES]
    looked_up = {
        member.pk: member
        for member in facts.with_facts(
            Membership.unscoped.filter(pk__in=[person.pk for person in people])
        )
    }
    seen: dict[str, set[object]] = {}
    for person in people:
        for fact in facts.registered():
            alone = facts.value(person, fact)
            assert facts.value(looked_up[person.pk], fact) == alone, (fact.name, person)
            seen.setdefault(fact.name, set()).add(bool(alone))
    # Each fact is true (or non-zero) for someone here and false (zero) for someone else.
    assert seen == {fact.name: {False, True} for fact in facts.registered()}


def test_a_fact_counts_only_rows_of_the_persons_organization(
    org: OrgPeople, other_org: OrgPeople, client_for
) -> None:
    """A forged row of another organization naming this person is never counted: the
    correlation on the organization is the foundation's, not each app's."""
    give_notifications(org.report, unread=1)
    Notification.unscoped.create(
        organization=other_org.organization, recipient=org.report, kind="test", key="forged"
    )

    html = client_for(org.report).get("/o/acme/").content.decode()

    assert header_unread_count(html) == "1"
