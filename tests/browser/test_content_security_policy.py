"""The pages work under the Content-Security-Policy in a real browser (Chromium).

Every journey of the browser suite fails on a refused script, style or connection
(tests/browser_fixtures.py watches each page); these journeys cover what the others do not:
the pages' own scripts (copy a new API key, confirm a revocation), the API docs (Swagger UI)
and the Django admin, and that an injected inline script is refused.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from perfmgmt.accounts.models import User
from tests.accounts.helpers import verify_email
from tests.conftest import PASSWORD, OrgPeople
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_policy_sent(response: Any) -> None:
    policy = response.headers.get("content-security-policy", "")
    assert re.search(r"script-src 'self' 'nonce-[\w-]+'", policy), response.url
    assert "camera=()" in response.headers.get("permissions-policy", ""), response.url


def visit(page: Any, url: str) -> None:
    response = page.goto(url)
    assert response.ok, f"{url} -> {response.status}"
    assert_policy_sent(response)


def signed_in_page(new_context: Any, base_url: str, user: User) -> Any:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    context = new_context()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}])
    return context.new_page()


def test_an_owner_signs_in_creates_copies_and_revokes_an_api_key_under_the_policy(
    live_server: Any, new_context: Any, org: OrgPeople
) -> None:
    page = new_context().new_page()
    verify_email(org.owner.user)
    visit(page, f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", org.owner.user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/o/acme/$"))

    visit(page, f"{live_server.url}/o/acme/settings/api/new/")
    page.fill("input[name=name]", "Payroll sync")
    page.get_by_label("goals:read").check()
    page.get_by_role("button", name="Create key").click()
    page.get_by_role("button", name="Copy key").click()
    # app.js answers either way; headless Chromium may refuse the clipboard.
    page.locator("#copy-api-key-status", has_text=re.compile(r"\w")).wait_for()

    visit(page, f"{live_server.url}/o/acme/settings/api/")
    questions: list[str] = []

    def answer_yes(dialog: Any) -> None:
        questions.append(dialog.message)
        dialog.accept()

    page.once("dialog", answer_yes)
    page.get_by_role("button", name="Revoke Payroll sync").click()
    page.get_by_text("The key “Payroll sync” is revoked").wait_for()
    assert questions == ["Revoke “Payroll sync”? Systems using it stop working at once."]


def test_swagger_ui_renders_the_api_under_the_policy(live_server: Any, new_context: Any) -> None:
    page = new_context().new_page()
    visit(page, f"{live_server.url}/api/v1/docs/")
    page.locator(".opblock-summary-path", has_text="/api/v1/orgs/").first.wait_for()
    page.locator(".opblock-summary").first.click()
    page.locator(".opblock-body").first.wait_for()


def test_the_admin_works_for_a_superuser_under_the_policy(
    live_server: Any, new_context: Any, org: OrgPeople
) -> None:
    superuser = UserFactory.create(is_staff=True, is_superuser=True)
    page = signed_in_page(new_context, live_server.url, superuser)
    visit(page, f"{live_server.url}/admin/")
    visit(page, f"{live_server.url}/admin/accounts/user/")
    page.locator("#action-toggle").check()
    page.get_by_text(re.compile(r"\d+ of \d+ selected")).wait_for()

    user = User.objects.get(email=org.report.user.email)
    visit(page, f"{live_server.url}/admin/accounts/user/{user.pk}/change/")
    # The date and time widgets are admin scripts; the person never signed in.
    page.locator("#calendarlink0").click()
    page.locator(".calendarbox .calendar td a").first.click()
    page.get_by_role("link", name="Now").first.click()
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("was changed successfully").wait_for()


def test_an_inline_script_slipped_into_a_page_is_refused_and_reported(
    live_server: Any,
    new_context: Any,
    policy_violations: list[str],
    expected_policy_violations: list[str],
    org: OrgPeople,
) -> None:
    expected_policy_violations.append("script-src")
    page = signed_in_page(new_context, live_server.url, org.report.user)
    visit(page, f"{live_server.url}/o/acme/")
    refused = page.evaluate(
        """() => new Promise((resolve) => {
          document.addEventListener(
            "securitypolicyviolation", (event) => resolve(event.effectiveDirective)
          );
          const script = document.createElement("script");
          script.textContent = "window.injected = true";
          document.body.append(script);
        })"""
    )
    assert refused == "script-src-elem"
    assert page.evaluate("window.injected === undefined")
    assert any("script-src" in violation for violation in policy_violations), policy_violations
