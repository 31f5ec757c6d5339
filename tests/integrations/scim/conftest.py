from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from perfmgmt.api.models import Scope
from tests.api.conftest import create_key, key_client
from tests.conftest import OrgPeople

SCIM = "application/scim+json"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


def base(people: OrgPeople) -> str:
    return f"/scim/v2/{people.organization.slug}"


class Scim:
    """A SCIM client of one organization: `scim.get("/Users")` and so on."""

    def __init__(self, people: OrgPeople, client: APIClient) -> None:
        self.people, self.client = people, client

    def _send(self, method: str, path: str, body: Any = None, **extra: Any) -> Any:
        import json

        data = None if body is None else json.dumps(body)
        return self.client.generic(
            method, base(self.people) + path, data or "", content_type=SCIM, **extra
        )

    def get(self, path: str) -> Any:
        return self.client.get(base(self.people) + path)

    def post(self, path: str, body: Any) -> Any:
        return self._send("POST", path, body)

    def put(self, path: str, body: Any) -> Any:
        return self._send("PUT", path, body)

    def patch(self, path: str, body: Any) -> Any:
        return self._send("PATCH", path, body)

    def delete(self, path: str) -> Any:
        return self._send("DELETE", path)


@pytest.fixture
def scim_for() -> Callable[[OrgPeople], Scim]:
    def _scim(people: OrgPeople) -> Scim:
        _credential, key = create_key(people, [Scope.SCIM])
        return Scim(people, key_client(key))

    return _scim


@pytest.fixture
def scim(org: OrgPeople, scim_for: Callable[[OrgPeople], Scim]) -> Scim:
    return scim_for(org)


def new_user(number: int = 1, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "schemas": [USER, ENTERPRISE],
        "userName": f"new.person{number}@idp.example.com",
        "externalId": f"okta-{number}",
        "name": {"givenName": "New", "familyName": f"Person {number}"},
        "emails": [
            {"value": f"new.person{number}@idp.example.com", "type": "work", "primary": True}
        ],
        "title": "Engineer",
        "active": True,
    }
    body.update(extra)
    return body


def patch_body(*operations: dict[str, Any]) -> dict[str, Any]:
    return {"schemas": [PATCH], "Operations": list(operations)}
