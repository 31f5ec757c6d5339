"""The 403, 404 and 500 pages are the product's (issue 10, item 17): one h1, a main landmark,
the stylesheet, and a way back home; the 500 page renders with no request at all."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.template import loader
from django.test import Client, RequestFactory
from django.views import defaults

from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople


def assert_product_page(html: str, heading: str) -> None:
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S) == [heading]
    assert html.count("<main") == 1
    assert "css/app.css" in html
    assert 'href="/"' in html  # the way back home
    assert "Go to your home page" in html


def test_a_page_ones_role_does_not_include_is_the_products_403_page(
    org: OrgPeople, client_for: Callable[[Membership], Client]
) -> None:
    response = client_for(org.report).get("/o/acme/settings/")

    assert response.status_code == 403
    assert_product_page(response.content.decode(), "You may not open this page")


def test_the_403_page_says_why_when_the_refusal_gave_a_reason() -> None:
    request = RequestFactory().get("/o/acme/anything/")
    response = defaults.permission_denied(request, PermissionDenied("Only owners may do this."))

    assert response.status_code == 403
    html = response.content.decode()
    assert "Only owners may do this." in html
    assert_product_page(html, "You may not open this page")


def test_a_page_that_does_not_exist_is_the_products_404_page(
    org: OrgPeople, client_for: Callable[[Membership], Client]
) -> None:
    response = client_for(org.report).get("/o/acme/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert_product_page(html, "This page does not exist")
    assert "no-such-page" not in html  # it does not echo what was asked for


def test_a_stranger_gets_the_same_404_page() -> None:
    response = Client().get("/no-such-page/")

    assert response.status_code == 404
    assert_product_page(response.content.decode(), "This page does not exist")


def test_the_500_page_is_the_products_and_needs_no_request() -> None:
    html = loader.get_template("500.html").render()
    assert_product_page(html, "Something went wrong on our side")

    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert_product_page(response.content.decode(), "Something went wrong on our side")
