"""Content-Security-Policy, Permissions-Policy and the other security headers, through HTTP.

Every page of the URL walk (tests/test_isolation.py), opened by an owner, plus the pages
outside an organization (sign-in, the admin, the API docs), must carry the policy with a
fresh nonce and contain nothing the policy would refuse: no inline script or style without
that nonce, no inline event handler or style attribute, nothing htmx would have to eval.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from perfmgmt.accounts.models import User
from tests.conftest import PASSWORD, OrgPeople, login
from tests.factories import UserFactory
from tests.test_isolation import ORG_ENDPOINTS, Endpoint, endpoint_params, objects_for, url_for

pytestmark = pytest.mark.django_db

NONCE = re.compile(r"'nonce-([\w-]{16,})'")
# Types a browser does not execute, so they need no nonce (allauth's data blocks use JSON).
# `click[ctrlKey]`, `every 15s [isIdle()]`: htmx evals the filter (not `from:[name=x]`).
TRIGGER_FILTER = re.compile(r"\s*(every\s+\S+|[\w:.-]+)\s*\[")
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}
PAGE_ENDPOINTS = [
    endpoint
    for endpoint in ORG_ENDPOINTS
    if not endpoint.is_api and "get" in endpoint.methods and not endpoint.route.startswith("api/")
]


class PolicyBreaches(HTMLParser):
    """Collects what in a page the Content-Security-Policy would refuse."""

    def __init__(self, nonce: str) -> None:
        super().__init__()
        self.nonce = nonce
        self.found: list[str] = []
        self.nonced_scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.found += [f"<{tag} {problem}" for problem in attribute_breaches(attributes)]
        nonced = attributes.get("nonce") == self.nonce
        inline_script = tag == "script" and "src" not in attributes
        executable = attributes.get("type", "text/javascript") not in DATA_SCRIPT_TYPES
        if ((inline_script and executable) or tag == "style") and not nonced:
            self.found.append(f"<{tag}> inline without the request's nonce")
        self.nonced_scripts += tag == "script" and nonced


def attribute_breaches(attributes: dict[str, str]) -> list[str]:
    found = []
    for name, value in attributes.items():
        if name.startswith(("on", "hx-on", "data-hx-on")):
            found.append(f"{name}=...> is an inline event handler")
        elif name == "style":
            found.append("style=...> is an inline style")
        elif name == "hx-trigger" and any(TRIGGER_FILTER.match(s) for s in value.split(",")):
            found.append(f"hx-trigger={value!r}> needs eval for its filter")
        elif name in ("hx-vals", "hx-vars") and value.lstrip().startswith("js:"):
            found.append(f"{name}={value!r}> needs eval")
        elif name in ("href", "action", "src") and value.strip().startswith("javascript:"):
            found.append(f"{name}={value!r}> is a javascript: URL")
    return found


def policy_nonce(response: Any) -> str:
    policy = response.headers.get("Content-Security-Policy", "")
    match = NONCE.search(policy)
    assert match, f"{response.request['PATH_INFO']}: no nonce in {policy!r}"
    return match.group(1)


def assert_page_obeys_the_policy(response: Any) -> PolicyBreaches:
    path = response.request["PATH_INFO"]
    assert response.status_code == 200, f"{path} -> {response.status_code}"
    assert response["Content-Type"].startswith("text/html"), path
    breaches = PolicyBreaches(policy_nonce(response))
    breaches.feed(response.content.decode())
    assert not breaches.found, f"{path}: " + "; ".join(breaches.found)
    return breaches


def superuser_client() -> Client:
    admin = UserFactory.create(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_a_page_carries_the_policy_with_a_fresh_nonce_its_scripts_carry(
    org: OrgPeople,
) -> None:
    client = login(Client(), org.owner)
    url = reverse("web:home", kwargs={"org_slug": org.organization.slug})
    first, second = client.get(url), client.get(url)
    policy = first.headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "style-src 'self' 'nonce-",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ):
        assert directive in policy
    assert re.search(r"script-src 'self' 'nonce-[\w-]+';", policy)
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert policy_nonce(first) != policy_nonce(second)
    # htmx's script tag, from django-htmx, carries it.
    assert assert_page_obeys_the_policy(first).nonced_scripts >= 1
    assert f'nonce="{policy_nonce(first)}"'.encode() in first.content


@pytest.mark.parametrize("endpoint", endpoint_params(PAGE_ENDPOINTS))
def test_every_organization_page_obeys_the_policy(endpoint: Endpoint, org: OrgPeople) -> None:
    client = login(Client(), org.owner)
    response = client.get(url_for(endpoint, org.organization.slug, objects_for(endpoint, org)))
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        # Redirects, downloads and refusals are not pages; they carry the policy all the same.
        assert "Content-Security-Policy" in response.headers
        return
    assert_page_obeys_the_policy(response)


@pytest.mark.parametrize(
    "url",
    [
        "/orgs/new/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
    ],
)
def test_the_pages_of_a_signed_in_person_outside_an_organization_obey_the_policy(
    url: str, org: OrgPeople
) -> None:
    assert_page_obeys_the_policy(login(Client(), org.owner).get(url))


def test_the_two_factor_activation_page_and_its_qr_code_obey_the_policy(org: OrgPeople) -> None:
    client = login(Client(), org.owner)
    asked = client.get("/accounts/2fa/totp/activate/")
    page = client.post(asked["Location"], {"password": PASSWORD}, follow=True)
    assert page.redirect_chain[-1][0] == "/accounts/2fa/totp/activate/"
    assert_page_obeys_the_policy(page)


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
)
def test_the_sign_in_pages_obey_the_policy(url: str) -> None:
    assert_page_obeys_the_policy(Client().get(url))


@pytest.mark.parametrize("url", ["/api/v1/docs/"])
def test_the_api_docs_obey_the_policy_their_inline_script_carries_the_nonce(
    url: str, org: OrgPeople
) -> None:
    breaches = assert_page_obeys_the_policy(login(Client(), org.owner).get(url))
    assert breaches.nonced_scripts == 1


@pytest.mark.parametrize(
    "page",
    ["admin:index", "admin:accounts_user_changelist", "admin:accounts_user_add"],
)
def test_the_admin_obeys_the_policy(page: str) -> None:
    assert_page_obeys_the_policy(superuser_client().get(reverse(page)))


def test_an_admin_change_form_obeys_the_policy(org: OrgPeople) -> None:
    user = User.objects.get(pk=org.report.user.pk)
    url = reverse("admin:accounts_user_change", args=[user.pk])
    assert_page_obeys_the_policy(superuser_client().get(url))


def test_api_responses_carry_the_policy_and_the_permissions_policy(org: OrgPeople) -> None:
    response = login(Client(), org.owner).get(f"/api/v1/orgs/{org.organization.slug}/members/")
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "Permissions-Policy" in response.headers


def test_powerful_browser_features_are_refused_and_the_other_headers_are_set() -> None:
    response = Client().get("/accounts/login/")
    features = dict(
        item.strip().split("=", 1) for item in response.headers["Permissions-Policy"].split(",")
    )
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_in_report_only_mode_the_same_policy_is_reported_not_enforced(settings: Any) -> None:
    policy = settings.SECURE_CSP
    settings.SECURE_CSP, settings.SECURE_CSP_REPORT_ONLY = {}, policy
    response = Client().get("/accounts/login/")
    assert "Content-Security-Policy" not in response.headers
    report_only = response.headers["Content-Security-Policy-Report-Only"]
    assert NONCE.search(report_only)
    assert "default-src 'self'" in report_only


@override_settings(DEBUG=True)
def test_under_debug_pages_carry_the_policy_but_djangos_error_pages_keep_their_script() -> None:
    assert "Content-Security-Policy" in Client().get("/accounts/login/").headers
    missing = Client().get("/no-such-page/")
    assert missing.status_code == 404
    assert "Content-Security-Policy" not in missing.headers
