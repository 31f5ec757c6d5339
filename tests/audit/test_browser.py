"""The audit log in a real browser: it fits a 360 px phone, its filters are labelled and
axe-core finds no serious violation; filtering by a kind of change narrows the table."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.audit.helpers import record
from tests.browser import test_every_page as every_page
from tests.conftest import OrgPeople

# The fixtures of the every-page walk: a signed-in page per person, and axe-core.
axe = every_page.axe
role_page = every_page.role_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_audit_log_fits_a_phone_and_passes_the_accessibility_check(
    live_server: Any,
    role_page: Any,
    axe: Axe,
    org: OrgPeople,
) -> None:
    long_change = {"job_title": ["Engineer", "Principal engineer of " + "platform" * 12]}
    entry = record(org, changes=long_change)
    record(org, action="api_credential.create", target=org.organization)
    page = role_page(org.hr)
    walk_log = every_page.Walk()
    for url in ["/o/acme/people/audit/", f"/o/acme/people/audit/{entry.pk}/"]:
        page.goto(live_server.url + url)
        every_page.check_page(page, axe, url, walk_log)
    assert not walk_log.problems, "\n".join(walk_log.problems)

    page.goto(live_server.url + "/o/acme/people/audit/")
    page.get_by_label("Kind of change").select_option("access")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**group=access**")
    rows = page.locator("table.table > tbody > tr")
    assert rows.count() == 1
    assert "API key created" in rows.first.inner_text()
