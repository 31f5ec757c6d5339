"""The personal-data pages in a real browser: they fit a 360 px phone and pass axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from tests.browser.test_every_page import Walk, axe, role_page, visit
from tests.conftest import OrgPeople
from tests.privacy.isolation import make_ready_export

__all__ = ["axe", "role_page"]  # the fixtures, shared with the walk of every page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_personal_data_pages_fit_a_phone_and_pass_the_accessibility_check(
    live_server: Any, role_page: Any, axe: Axe, org: OrgPeople
) -> None:
    make_ready_export(org)  # the owner's export of the colleague: a row with a download
    slug = org.organization.slug
    urls = {
        "owner": [
            reverse("privacy:person", args=[slug, org.colleague.pk]),
            reverse("privacy:erase", args=[slug, org.colleague.pk]),
        ],
        "report": [reverse("privacy:person", args=[slug, org.report.pk])],
    }
    for role, pages in urls.items():
        page = role_page(getattr(org, role))
        walk_log = Walk()
        for url in pages:
            visit(page, axe, live_server.url, url, walk_log)
        assert len(walk_log.checked) == len(pages), walk_log.checked
        assert not walk_log.problems, "\n".join(walk_log.problems)
