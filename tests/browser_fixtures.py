"""Real headless Chromium (Debian's package) driven by Playwright's sync API.

Loaded once for the whole suite from tests/conftest.py (`pytest_plugins`): one Playwright
instance per session, whichever folder a browser test lives in (two sync Playwright
instances cannot run at once).

Playwright runs an event loop in the test thread, so Django's async-safety guard has to be
relaxed for ORM calls made by the test itself.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

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


@pytest.fixture
def new_context(browser):  # type: ignore[no-untyped-def]
    """new_context() -> a fresh browser context (its own cookies), closed after the test."""
    contexts = []

    def _new_context():  # type: ignore[no-untyped-def]
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield _new_context
    for context in contexts:
        context.close()
