"""HR sets up a review cycle in a real browser: the cycle, its phases in the organization's
zone, the preview of who takes part, the launch and its progress, on a phone-sized screen."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.test import Client

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from reviews.models import CycleStatus, Participant, ReviewCycle
from tests.conftest import OrgPeople, login
from tests.reviews.factories import make_template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = datetime.now(UTC).year + 1


def signed_in_page(new_context, base_url: str, member: Membership, path: str):
    client = login(Client(), member)
    context = new_context()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}])
    page = context.new_page()
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(f"{base_url}/o/{member.organization.slug}/{path}")
    return page


def fits_the_screen(page) -> bool:
    """Nothing of the page's content reaches past a 360 px screen (a table scrolls inside
    its wrapper; the site menu is the page shell's own)."""
    wider = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
        .filter(e => !e.closest('.table-wrap'))
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
        .map(e => e.tagName + '.' + e.className)"""
    )
    return not wider


def test_hr_creates_a_cycle_sets_its_phases_and_launches_it(
    live_server, new_context, org: OrgPeople
) -> None:
    org.organization.time_zone = "Europe/Berlin"
    org.organization.save()
    make_template(org, name="Annual review")
    hr = signed_in_page(new_context, live_server.url, org.hr, "reviews/cycles/")
    hr.get_by_role("link", name="New cycle").click()
    hr.get_by_label("Name", exact=True).fill("Annual 2026")
    hr.get_by_label("Evidence from").fill(f"{YEAR - 1}-01-01")
    hr.get_by_label("Evidence until").fill(f"{YEAR - 1}-12-31")
    hr.get_by_label("Template", exact=True).select_option(label="Annual review")
    assert fits_the_screen(hr)
    hr.get_by_role("button", name="Create cycle").click()
    hr.get_by_text("Annual 2026 created. Set its phases.").wait_for()
    hr.get_by_role("link", name="Set the phases").click()
    hr.get_by_label("Self-assessment opens on (Europe/Berlin)").fill(f"{YEAR}-02-02")
    hr.get_by_label("Self-assessment opens at (Europe/Berlin)").fill("09:00")
    hr.get_by_label("Self-assessment closes on (Europe/Berlin)").fill(f"{YEAR}-02-16")
    hr.get_by_label("Self-assessment closes at (Europe/Berlin)").fill("17:00")
    assert fits_the_screen(hr)
    hr.get_by_role("button", name="Save phases").click()
    hr.get_by_text("Phases saved.").wait_for()
    assert "6 people would take part." in hr.content()
    assert fits_the_screen(hr)
    hr.get_by_role("button", name="Launch the cycle").click()
    hr.get_by_text("Launched: 6 people take part.").wait_for()
    with organization_scope(org.organization):
        cycle = ReviewCycle.objects.get(name="Annual 2026")
        assert cycle.status == CycleStatus.ACTIVE
        assert Participant.objects.filter(cycle=cycle).count() == 6
    hr.get_by_role("link", name="Participants and their deadlines").click()
    hr.get_by_role("heading", name="Participants of Annual 2026").wait_for()
    assert fits_the_screen(hr)
