"""A notification whose action was done elsewhere, as its reader sees it in a real browser.

Rita asks her manager Max to agree her development plan; Max sees the unread request and
the count in the header. Olivia, higher up the chain, agrees the plan first. When Max looks
again, the request says it is already done and by whom, and nothing is unread any more.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from goals.development import services as plan_services
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople, login
from tests.goals.development.factories import make_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in_page(new_context, base_url: str, member: Membership):
    client = login(Client(), member)
    context = new_context()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}])
    return context.new_page()


def test_a_request_done_elsewhere_says_so_and_is_no_longer_unread(
    live_server, new_context, org: OrgPeople
) -> None:
    plan = make_plan(org)
    with organization_scope(org.organization):
        plan_services.plan_submit(actor=org.report, plan=plan)
    manager = signed_in_page(new_context, live_server.url, org.manager)
    inbox = f"{live_server.url}/o/acme/notifications/"

    manager.goto(inbox)
    request = manager.locator(".notification", has_text="asks you to agree")
    request.get_by_text("Unread").wait_for()
    assert manager.locator("#notification-badge").inner_text().strip().startswith("1")

    with organization_scope(org.organization):
        plan_services.plan_agree(actor=org.owner, plan=plan)
    manager.reload()

    request.get_by_text(f"Already done by {org.owner.display_name}.").wait_for()
    assert request.get_by_role("button", name="Mark as read").count() == 0
    assert request.get_by_text("Unread").count() == 0
    assert manager.locator("#notification-badge").inner_text().strip() == ""
    manager.get_by_text("No unread notifications").wait_for()
