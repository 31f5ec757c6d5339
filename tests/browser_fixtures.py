"""Real headless Chromium (Debian's package) driven by Playwright's sync API.

Loaded once for the whole suite from tests/conftest.py (`pytest_plugins`): one Playwright
instance per session, whichever folder a browser test lives in (two sync Playwright
instances cannot run at once).

Playwright runs an event loop in the test thread, so Django's async-safety guard has to be
relaxed for ORM calls made by the test itself.

Every page of every context records what the Content-Security-Policy (or report-only
policy) refused, and what Chromium says about the policy headers; a journey that caused any
of it fails when its contexts close.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is missing at {CHROMIUM}; `make test` installs it.")
    # Playwright's sync API keeps an event loop running in this thread; Django would refuse
    # the ORM calls the tests themselves make, so only browser tests lift that guard.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


# Runs in every page before its own scripts; violations bubble up to the document.
REPORT_POLICY_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportPolicyViolation(
    `${event.disposition}: ${event.effectiveDirective} refused ${event.blockedURI || "inline"}`
    + ` in ${event.sourceFile || event.documentURI}:${event.lineNumber}`
  );
});
"""
POLICY_CONSOLE_WORDS = ("Content Security Policy", "Content-Security-Policy", "Permissions-Policy")


def watch_policy_violations(context, violations: list[str]) -> None:
    context.expose_binding(
        "__reportPolicyViolation",
        lambda source, text: violations.append(f"{source['page'].url}: {text}"),
    )
    context.add_init_script(REPORT_POLICY_VIOLATIONS)

    def on_console(message) -> None:
        if any(word in message.text for word in POLICY_CONSOLE_WORDS):
            violations.append(f"{message.page.url if message.page else '?'}: {message.text}")

    context.on("console", on_console)


@pytest.fixture
def policy_violations() -> list[str]:
    """What the browser refused under the page policies (CSP, Permissions-Policy)."""
    return []


@pytest.fixture
def expected_policy_violations() -> list[str]:
    """Texts of refusals a test expects (it appends them); any other refusal fails it."""
    return []


@pytest.fixture
def new_context(browser, policy_violations: list[str], expected_policy_violations: list[str]):
    """new_context(**options) -> a fresh browser context (its own cookies; Playwright's
    context options, such as java_script_enabled=False), closed after the test; the test
    fails if any page of it broke the Content-Security-Policy."""
    contexts = []

    def _new_context(**options):
        context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
        context.set_default_timeout(15_000)
        watch_policy_violations(context, policy_violations)
        contexts.append(context)
        return context

    yield _new_context
    for context in contexts:
        for page in context.pages:
            page.evaluate("0")  # delivers reports still queued for this page
        context.close()
    unexpected = [
        violation
        for violation in policy_violations
        if not any(expected in violation for expected in expected_policy_violations)
    ]
    assert not unexpected, "The page policies refused:\n" + "\n".join(unexpected)


def choose_person(page: Any, field_label: str, name: str) -> None:
    """Find `name` in the person search box labelled `field_label` and choose (tick) them
    (templates/people/widgets/person_search.html)."""
    box = page.get_by_label(field_label, exact=True)
    box.fill(name)
    found = page.locator(".person-search-found label", has_text=name)
    found.first.wait_for()
    found.first.locator("input").check()
