from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from perfmgmt.api.models import Scope
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.api.conftest import api_as, create_key, key_client

__all__ = ["api_as"]  # the fixture, for the tests here
from tests.conftest import OrgPeople


def sync_url(people: OrgPeople) -> str:
    return f"/api/v1/orgs/{people.organization.slug}/people/sync/"


@pytest.fixture
def sync_client() -> Callable[[OrgPeople], APIClient]:
    """sync_client(org) -> an API client with a key holding the people:sync scope."""

    def _client(people: OrgPeople) -> APIClient:
        _credential, key = create_key(people, [Scope.PEOPLE_SYNC, Scope.MEMBERS_READ])
        return key_client(key)

    return _client


def person(number: int, manager: int | None = None, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "external_id": f"E{number}",
        "email": f"sync{number}@hris.example.com",
        "first_name": "Person",
        "last_name": str(number),
        "job_title": "Engineer",
        "team": "Platform",
        "manager_external_id": f"E{manager}" if manager is not None else "",
        "start_date": "2024-01-15",
        "status": "active",
    }
    row.update(extra)
    return row


def chain(count: int) -> list[dict[str, Any]]:
    """`count` people, each reporting to the one after them (managers later in the batch)."""
    return [person(n, manager=n + 1 if n + 1 < count else None) for n in range(count)]


def synced(people: OrgPeople) -> dict[str, Membership]:
    with organization_scope(people.organization):
        members = Membership.objects.exclude(external_id=None).select_related("user", "team")
        return {member.external_id or "": member for member in members}
