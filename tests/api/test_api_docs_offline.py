"""The API documentation works offline (issue 10, item 16): ReDoc, which loads web fonts and a
logo from the internet, is gone; the API-keys page links only to Swagger UI, whose files this
server serves itself."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople

EXTERNAL = re.compile(r"""(?:src|href)=["'](?:https?:)?//""")


def test_the_redoc_route_is_gone(db: None) -> None:
    with pytest.raises(NoReverseMatch):
        reverse("api:redoc")
    assert Client().get("/api/v1/redoc/").status_code == 404


def test_the_api_keys_page_links_only_to_the_offline_documentation(
    org: OrgPeople, client_for: Callable[[Membership], Client]
) -> None:
    html = client_for(org.owner).get("/o/acme/settings/api/").content.decode()

    api_links = set(re.findall(r'href="(/api/[^"]*)"', html))
    assert api_links == {reverse("api:docs")}
    assert "redoc" not in html.lower()
    assert not EXTERNAL.search(html)


def test_swagger_ui_loads_nothing_from_another_host(
    org: OrgPeople, client_for: Callable[[Membership], Client]
) -> None:
    response = client_for(org.owner).get(reverse("api:docs"))

    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r'<script[^>]+src="(/static/[^"]+)"', html)
    assert not EXTERNAL.search(html), html
