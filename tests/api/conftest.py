"""Clients for the API: a person's session, or a system's API key."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest
from rest_framework.test import APIClient

from perfmgmt.api import services as credential_services
from perfmgmt.api.models import ApiCredential, Scope
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople

ALL_SCOPES = [Scope.MEMBERS_READ, Scope.MEMBERS_WRITE]


def members_url(org: OrgPeople, member_id: int | None = None, action: str = "") -> str:
    url = f"/api/v1/orgs/{org.organization.slug}/members/"
    if member_id is not None:
        url += f"{member_id}/"
    if action:
        url += f"{action}/"
    return url


@pytest.fixture
def api_as() -> Callable[[Membership], APIClient]:
    """api_as(member) -> an API client signed in with that member's session."""

    def _api_as(member: Membership) -> APIClient:
        client = APIClient()
        client.force_login(member.user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _api_as


def create_key(
    org: OrgPeople, scopes: Iterable[str] = ALL_SCOPES, name: str = "HRIS sync"
) -> tuple[ApiCredential, str]:
    """A key created the way an owner creates one."""
    with organization_scope(org.organization):
        return credential_services.credential_create(actor=org.owner, name=name, scopes=scopes)


def key_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def api_with_key() -> Callable[..., APIClient]:
    """api_with_key(org, scopes=...) -> an API client that sends a fresh key of that org."""

    def _api_with_key(org: OrgPeople, scopes: Iterable[str] = ALL_SCOPES) -> APIClient:
        _credential, key = create_key(org, scopes)
        return key_client(key)

    return _api_with_key
