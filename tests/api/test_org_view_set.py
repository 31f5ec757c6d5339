"""The API base: every resource derives from it, and none can change how it enforces
tenancy and permissions."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.permissions import AllowAny
from rest_framework.test import APIRequestFactory, force_authenticate

from perfmgmt.api.base import ENFORCED, OrgViewSet
from perfmgmt.api.urls import resources
from perfmgmt.tenancy.api import MemberViewSet
from perfmgmt.tenancy.context import current_organization_or_none
from tests.conftest import OrgPeople

REGISTERED = [viewset for _prefix, viewset, _basename in resources]


def _replacement(name: str) -> Any:
    if name.endswith("_classes"):
        return [AllowAny]
    return lambda self, *args, **kwargs: None


@pytest.mark.parametrize("name", sorted(ENFORCED))
def test_a_resource_that_overrides_what_enforces_tenancy_is_refused_when_defined(
    name: str,
) -> None:
    with pytest.raises(TypeError, match=name):
        type("Leaky", (OrgViewSet,), {name: _replacement(name), "__module__": __name__})


def test_a_mixin_cannot_bring_its_own_permission_check_either() -> None:
    class Permissive:
        def check_permissions(self, request: Any) -> None:
            pass

    with pytest.raises(TypeError, match="check_permissions"):
        type("Leaky", (Permissive, OrgViewSet), {"__module__": __name__})


def test_a_resource_that_only_declares_what_it_serves_is_accepted() -> None:
    class Fine(OrgViewSet):
        required_scopes = {"list": "members:read"}

    assert Fine.permission_classes == OrgViewSet.permission_classes


def test_every_registered_api_resource_derives_from_the_base() -> None:
    assert len(REGISTERED) > 10
    for viewset in REGISTERED:
        assert issubclass(viewset, OrgViewSet), viewset


@pytest.mark.parametrize("viewset", REGISTERED, ids=lambda viewset: viewset.__name__)
def test_every_resource_names_its_model_once_and_the_base_gives_the_schema_its_queryset(
    viewset: type[OrgViewSet],
) -> None:
    assert viewset.model is not None
    assert viewset.queryset.model is viewset.model  # type: ignore[union-attr]


def test_no_organization_is_left_active_after_an_api_request(org: OrgPeople) -> None:
    # Called without the middleware: the base itself gives the scope back.
    request = APIRequestFactory().get("/api/v1/orgs/acme/members/")
    force_authenticate(request, user=org.hr.user)
    response = MemberViewSet.as_view({"get": "list"})(request, org_slug="acme")
    assert response.status_code == 200
    assert current_organization_or_none() is None


@pytest.mark.parametrize("resource", ["members", "goals", "checkins", "development/plans"])
def test_the_browsable_api_renders_with_the_organization_active(
    org: OrgPeople, api_as: Any, resource: str
) -> None:
    response = api_as(org.hr).get(f"/api/v1/orgs/acme/{resource}/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"<html" in response.content
