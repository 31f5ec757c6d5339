"""The grouped navigation of HR admins and owners fits a 1280 px screen with no entry past
its edge, and the page one is on is marked (issue 10, item 12): exactly one main entry
carries aria-current="page", and in a section's own navigation (the buttons under the
title) it is the link to this page, never the section's call to action."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import OrgPeople, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAVIGATION = """() => {
  const nav = document.querySelector("nav.main-nav");
  const links = [...nav.querySelectorAll("a")];
  return {
    hrefs: links.map((link) => link.getAttribute("href")),
    offScreen: links
      .filter((link) => {
        const box = link.getBoundingClientRect();
        return box.left < 0 || box.right > window.innerWidth || box.width === 0;
      })
      .map((link) => link.textContent.trim()),
    hiddenInNav: nav.scrollWidth > nav.clientWidth,
    current: links
      .filter((link) => link.getAttribute("aria-current") === "page")
      .map((link) => link.getAttribute("href")),
  };
}"""

SECTION_NAVIGATION = """() => [...document.querySelectorAll("main nav")].map((nav) => ({
  label: nav.getAttribute("aria-label"),
  here: [...nav.querySelectorAll("a")]
    .filter((link) => link.pathname === location.pathname)
    .map((link) => link.getAttribute("aria-current")),
  marked: [...nav.querySelectorAll("a[aria-current=page]")].map((link) => link.pathname),
}))"""


@pytest.mark.parametrize("role", ["hr", "owner"])
def test_the_navigation_fits_a_wide_screen_and_marks_the_page_one_is_on(
    role: str, live_server: Any, new_context: Any, org: OrgPeople
) -> None:
    client = login(Client(), getattr(org, role))
    context = new_context()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/o/acme/")
    entries = page.evaluate(NAVIGATION)["hrefs"]
    assert len(entries) >= 14  # HR and owners have many entries: the case that overflowed

    problems = []
    for href in entries:
        if not href.startswith("/o/"):
            continue  # the API docs are a page of their own, without the product's shell
        page.goto(live_server.url + href)
        navigation = page.evaluate(NAVIGATION)
        if navigation["offScreen"] or navigation["hiddenInNav"]:
            problems.append(f"{href}: off-screen {navigation['offScreen']}")
        if navigation["current"] != [href]:
            problems.append(f"{href}: marked {navigation['current']}")
        for section in page.evaluate(SECTION_NAVIGATION):
            if section["here"] and section["here"] != ["page"]:
                problems.append(f"{href}: {section['label']} does not mark this page")
            if any(marked != page.evaluate("location.pathname") for marked in section["marked"]):
                problems.append(f"{href}: {section['label']} marks {section['marked']}")
    assert not problems, "\n".join(problems)
