"""In a real browser: HR opens a calibration session for two managers; Max moves Ravi on the
9-box with the keyboard after the page asked for a reason; Sofia adjusts her report's
rating; HR locks and releases; Ravi reads his calibrated rating.

The clock is real: the cycle is built in its calibration phase, with release open too.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from perfmgmt.audit.models import AuditEntry
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from reviews.models import CalibrationPlacement, CalibrationSession
from tests.conftest import OrgPeople, login
from tests.reviews.calibration_helpers import calibration_cycle, second_team, set_rating

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in_page(new_context, base_url: str, member: Membership, path: str):
    client = login(Client(), member)
    context = new_context()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}])
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base_url}/o/{member.organization.slug}/{path}")
    return page


def test_hr_and_two_managers_calibrate_lock_and_the_employee_reads_the_calibrated_rating(
    live_server, new_context, org: OrgPeople
) -> None:
    sofia, (sam,) = second_team(org)
    cycle = calibration_cycle(org, [org.report, org.report2, sam])
    set_rating(cycle, org.report2, "manager", "3")  # Ravi: medium performance
    base = live_server.url

    hr = signed_in_page(new_context, base, org.hr, "reviews/calibration/")
    hr.get_by_role("link", name=f"Open a session in {cycle.name}").click()
    hr.get_by_label("Name").fill("Engineering and friends")
    hr.get_by_label("The whole organization").check()
    hr.get_by_label("Managers taking part (one email a line)").fill(
        f"{org.manager.email}\n{sofia.email}"
    )
    hr.get_by_role("button", name="Open the session").click()
    hr.get_by_text("The calibration session is open.").wait_for()
    hr.get_by_role("heading", name="By manager: leniency and gaps").wait_for()
    assert hr.locator("svg[role=img] desc").count() >= 1
    with organization_scope(org.organization):
        session = CalibrationSession.objects.get()

    max_page = signed_in_page(
        new_context, base, org.manager, f"reviews/calibration/{session.pk}/nine-box/"
    )
    assert max_page.get_by_text(sam.display_name).count() == 0
    max_page.get_by_role("link", name=org.report2.display_name).first.click()
    max_page.get_by_role("heading", name="Move on the 9-box").wait_for()
    # Keyboard only: choose the box, try without a reason, then give one.
    max_page.get_by_label("Future leader (High / High)").focus()
    max_page.keyboard.press("Space")
    max_page.get_by_role("button", name="Move", exact=True).focus()
    max_page.keyboard.press("Enter")
    max_page.get_by_text("A reason is required.").first.wait_for()
    max_page.locator("#id_move-reason").focus()
    max_page.keyboard.type("Led the migration; peers at 4 delivered less.")
    max_page.get_by_role("button", name="Move", exact=True).focus()
    max_page.keyboard.press("Enter")
    max_page.get_by_text("The change is saved with its reason.").wait_for()
    max_page.get_by_text("Led the migration; peers at 4 delivered less.").wait_for()

    sofia_page = signed_in_page(
        new_context, base, sofia, f"reviews/calibration/{session.pk}/nine-box/"
    )
    assert sofia_page.get_by_text(org.report2.display_name).count() == 0
    sofia_page.get_by_role("link", name=sam.display_name).first.click()
    sofia_page.get_by_label("Calibrated rating").select_option("3")
    sofia_page.locator("#id_adjust-reason").fill("Calibrated against the sales team.")
    sofia_page.get_by_role("button", name="Save the adjustment").click()
    sofia_page.get_by_text("The change is saved with its reason.").wait_for()

    hr.goto(f"{base}/o/acme/reviews/calibration/{session.pk}/")
    hr.get_by_role("button", name="Lock the session").click()
    hr.get_by_text("The session is locked: its ratings are final.").wait_for()
    with organization_scope(org.organization):
        ravi = CalibrationPlacement.objects.get(participant__reviewee=org.report2)
        assert (ravi.original_rating, ravi.rating) == (3, 4)
        assert AuditEntry.objects.filter(action="calibration.adjusted").count() == 2
    hr.goto(f"{base}/o/acme/reviews/released/{ravi.participant_id}/")
    hr.get_by_role("button", name="Release this review").click()
    hr.get_by_text("The review is released.").wait_for()

    ravi_page = signed_in_page(
        new_context, base, org.report2, f"reviews/released/{ravi.participant_id}/"
    )
    calibrated = ravi_page.locator("dd", has=ravi_page.get_by_text("Calibrated", exact=True))
    calibrated.wait_for()
    assert "Exceeds (4)" in calibrated.inner_text()
    assert ravi_page.get_by_text("Meets expectations (3)").count() == 0
