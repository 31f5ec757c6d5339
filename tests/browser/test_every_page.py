"""Every page each role can reach, in a real browser: it fits a 360 px phone and a 1280 px
screen, has one h1 and a main landmark, no id twice, and axe-core (WCAG 2.1 A and AA) finds
no serious or critical violation (issue 10, items 11 and 18).

The pages come from the URL resolver, through the walk of tests/test_isolation.py: every
organization route that answers GET in HTML, with an object of its organization for each id
in the route (the isolation makers, or the data seeded here that every role shares), plus the
account pages outside an organization. A new page joins the walk by itself. A role "reaches"
a page when it is answered 200; the error pages a role meets (403, 404) are checked too, once
per role and status, because people read them as well. HTML fragments (htmx partials, which
are not documents) are left out.

One browser for the module, one context and one page per role, reused from page to page.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import get_resolver, reverse
from playwright.sync_api import Error as PlaywrightError

from feedback.meetings.models import ActionItem, Meeting, OneOnOneSeries
from goals.development.models import DevelopmentPlan
from goals.models import Goal
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople, login
from tests.feedback.meetings.factories import make_action_item, make_meeting, make_series
from tests.goals.development.factories import make_competency, make_plan
from tests.goals.factories import create_goal
from tests.test_isolation import MAKERS, ORG_ENDPOINTS, Endpoint, model_for, walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (360, 1280)
HEIGHT = 800
LONG_URL = "https://example.com/" + "averylongpathsegmentwithoutanyplacetobreak" * 4
# Pages outside an organization that a signed-in person reads (URL names). The others of the
# account URLs need a token, a pending sign-in or a state the walk does not set up.
ACCOUNT_ROUTE_PREFIXES = ("accounts/", "preferences/", "orgs/")
ACCOUNT_ROUTES_LEFT_OUT = {
    "account_logout",  # ends the session the walk runs in
    "mfa_download_recovery_codes",  # a file, not a page
}
SERIOUS = {"serious", "critical"}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}

PAGE_FACTS = """() => {
  // What overflows inside a box that scrolls (a wide table in its wrapper) is not the page's.
  const insideScrollBox = (element) => {
    for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== "visible") return true;
    }
    return false;
  };
  return {
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: window.innerWidth,
  h1: document.querySelectorAll("h1").length,
  main: document.querySelectorAll("main, [role=main]").length,
  duplicateIds: (() => {
    const seen = new Set(), twice = new Set();
    for (const element of document.querySelectorAll("[id]")) {
      (seen.has(element.id) ? twice : seen).add(element.id);
    }
    return [...twice];
  })(),
  // The outermost elements that reach past the right edge: where to look first.
  widest: [...document.querySelectorAll("body *")]
    .filter((element) => element.checkVisibility()
      && element.getBoundingClientRect().right > window.innerWidth + 1
      && !(element.parentElement.getBoundingClientRect().right > window.innerWidth + 1)
      && !insideScrollBox(element))
    .slice(0, 3)
    .map((element) => element.tagName.toLowerCase()
      + (element.id ? "#" + element.id : "")
      + (element.className && typeof element.className === "string"
         ? "." + element.className.trim().split(/\\s+/).join(".") : "")),
  };
}"""


@dataclass
class Walk:
    """What one role met on its walk, and what was wrong with it."""

    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    error_pages_seen: set[int] = field(default_factory=set)


def seeded_objects(org: OrgPeople) -> dict[type[models.Model], models.Model]:
    """Data every role has a part in: the report's goal and plan, and their 1:1 with the
    manager (with an action item holding a long URL, which must wrap on a phone)."""
    make_competency(org, "Testing")
    series = make_series(org.manager, org.report)
    meeting = make_meeting(series)
    action_item = make_action_item(meeting, org.report, text=f"Read {LONG_URL} before we meet")
    return {
        Goal: create_goal(org.report, title="Ship the onboarding"),
        DevelopmentPlan: make_plan(org),
        OneOnOneSeries: series,
        Meeting: meeting,
        ActionItem: action_item,
    }


def organization_urls(org: OrgPeople, seeded: dict[type[models.Model], models.Model]) -> list[str]:
    urls = []
    for endpoint in ORG_ENDPOINTS:
        if endpoint.is_api or "get" not in endpoint.methods:
            continue
        kwargs: dict[str, Any] = {"org_slug": org.organization.slug}
        for kwarg in endpoint.object_kwargs:
            model = model_for(endpoint, kwarg)
            found = seeded.get(model) or MAKERS[model](org)
            kwargs[kwarg] = found.pk
        urls.append(reverse(endpoint.name, kwargs=kwargs))
    return urls


def account_urls() -> list[str]:
    def is_account_page(endpoint: Endpoint) -> bool:
        return (
            endpoint.route.startswith(ACCOUNT_ROUTE_PREFIXES)
            # Unnamed account routes are allauth's old addresses, redirects to named pages.
            and bool(endpoint.name)
            and not endpoint.kwargs
            and endpoint.name not in ACCOUNT_ROUTES_LEFT_OUT
            and "^" not in endpoint.route
        )

    return [reverse(e.name) for e in walk(get_resolver().url_patterns) if is_account_page(e)]


def check_page(page: Any, axe: Axe, url: str, walk_log: Walk) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        facts = page.evaluate(PAGE_FACTS)
        if facts["scrollWidth"] > facts["innerWidth"]:
            walk_log.problems.append(
                f"{url} at {width} px is {facts['scrollWidth']} px wide ({facts['widest']})"
            )
    if facts["h1"] != 1:
        walk_log.problems.append(f"{url} has {facts['h1']} h1 elements")
    if facts["main"] != 1:
        walk_log.problems.append(f"{url} has {facts['main']} main landmarks")
    if facts["duplicateIds"]:
        walk_log.problems.append(f"{url} repeats the ids {facts['duplicateIds']}")
    results = axe.run(page, options=AXE_OPTIONS)
    for violation in results.response["violations"]:
        if violation["impact"] in SERIOUS:
            targets = [node["target"] for node in violation["nodes"][:3]]
            walk_log.problems.append(
                f"{url}: axe {violation['id']} ({violation['help']}) {targets}"
            )


def visit(page: Any, axe: Axe, base_url: str, url: str, walk_log: Walk) -> None:
    try:
        response = page.goto(base_url + url)
    except PlaywrightError as error:
        if "Download is starting" not in str(error):
            raise
        # A file to download (a CSV export): not a page, but it must not fail either.
        download = page.request.get(base_url + url)
        if download.status >= 500:
            walk_log.problems.append(f"{url} answered {download.status}")
        return
    status = response.status if response else 0
    content_type = response.headers.get("content-type", "") if response else ""
    if status >= 500:
        walk_log.problems.append(f"{url} answered {status}")
        return
    if not content_type.startswith("text/html"):
        return
    is_document = page.evaluate("document.doctype !== null")
    if not is_document:  # an htmx fragment
        return
    if status != 200:
        if status in walk_log.error_pages_seen:
            return
        walk_log.error_pages_seen.add(status)
    final = page.url.removeprefix(base_url)
    if final in walk_log.checked:
        return
    walk_log.checked.append(final)
    check_page(page, axe, final, walk_log)


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


@pytest.fixture
def role_page(browser: Any, live_server: Any) -> Iterator[Any]:
    """role_page(member) -> a page of a context signed in as that member."""
    contexts = []

    def _role_page(member: Membership) -> Any:
        client = login(Client(), member)
        context = browser.new_context(viewport={"width": WIDTHS[-1], "height": HEIGHT})
        context.set_default_timeout(15_000)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
        contexts.append(context)
        return context.new_page()

    yield _role_page
    for context in contexts:
        context.close()


ROLES = ["report", "manager", "hr", "owner"]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_reaches_fits_the_screen_and_passes_the_accessibility_check(
    role: str, live_server: Any, role_page: Any, axe: Axe, org: OrgPeople
) -> None:
    seeded = seeded_objects(org)
    urls = organization_urls(org, seeded) + account_urls()
    page = role_page(getattr(org, role))
    walk_log = Walk()
    for url in urls:
        visit(page, axe, live_server.url, url, walk_log)

    assert len(walk_log.checked) > 10, walk_log.checked
    assert not walk_log.problems, f"{role}:\n" + "\n".join(walk_log.problems)
