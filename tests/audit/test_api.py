"""GET /api/v1/orgs/<slug>/audit-entries/: HR, owners and `audit:read` keys; one org only."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from rest_framework.test import APIClient

from perfmgmt.api import services as credential_services
from perfmgmt.api.models import Scope
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.audit.helpers import record
from tests.conftest import OrgPeople

pytestmark = pytest.mark.django_db


def as_person(member: Membership) -> APIClient:
    client = APIClient()
    client.force_login(member.user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def as_key(org: OrgPeople, scopes: list[str]) -> APIClient:
    with organization_scope(org.organization):
        _credential, key = credential_services.credential_create(
            actor=org.owner, name="Compliance", scopes=scopes
        )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def url(org: OrgPeople, entry_id: int | None = None, query: str = "") -> str:
    path = f"/api/v1/orgs/{org.organization.slug}/audit-entries/"
    if entry_id is not None:
        path += f"{entry_id}/"
    return path + (f"?{query}" if query else "")


def ids(response: object) -> list[int]:
    return [item["id"] for item in response.json()["results"]]  # type: ignore[attr-defined]


def test_an_owner_lists_the_entries_with_labels_and_changes(org: OrgPeople) -> None:
    entry = record(org, changes={"manager": [None, org.manager.pk]})
    response = as_person(org.owner).get(url(org))
    assert response.status_code == 200
    body = response.json()
    moment = datetime.fromisoformat(body["results"][0].pop("created_at"))
    assert moment == entry.created_at  # in the reader's zone, the same moment
    assert body == {
        "next": None,
        "results": [
            {
                "id": entry.pk,
                "actor": org.owner.pk,
                "actor_label": org.owner.display_name,
                "action": "member.update",
                "action_label": "Person changed (role, manager, details)",
                "group": "people",
                "target_type": "tenancy.Membership",
                "target_id": str(org.report.pk),
                "target_name": org.report.display_name,
                "changes": {"manager": [None, org.manager.pk]},
            }
        ],
    }


@pytest.mark.parametrize("who", ["manager", "report"])
def test_managers_and_employees_are_refused(org: OrgPeople, who: str) -> None:
    entry = record(org)
    client = as_person(getattr(org, who))
    assert client.get(url(org)).status_code == 403
    assert client.get(url(org, entry.pk)).status_code == 403


def test_a_key_needs_the_audit_read_scope(org: OrgPeople) -> None:
    entry = record(org)
    assert as_key(org, [Scope.MEMBERS_READ]).get(url(org)).status_code == 403
    reader = as_key(org, [Scope.AUDIT_READ])
    assert ids(reader.get(url(org, query="action=member.update"))) == [entry.pk]
    assert reader.get(url(org, entry.pk)).json()["id"] == entry.pk


def test_another_organizations_entries_are_not_listed_and_their_ids_are_404(
    org: OrgPeople, other_org: OrgPeople
) -> None:
    ours, theirs = record(org), record(other_org)
    client = as_person(org.owner)
    assert ids(client.get(url(org))) == [ours.pk]
    assert client.get(url(org, theirs.pk)).status_code == 404
    assert as_key(org, [Scope.AUDIT_READ]).get(url(org, theirs.pk)).status_code == 404
    assert client.get(url(other_org)).status_code == 404


def test_the_filters_are_the_pages(org: OrgPeople) -> None:
    by_hr = record(org, actor=org.hr)
    key = record(org, action="api_credential.create", target=org.organization)
    march = record(org, at=datetime(2026, 3, 1, 12, tzinfo=UTC), target=org.colleague)
    client = as_person(org.owner)
    assert ids(client.get(url(org, query=f"actor={org.hr.pk}"))) == [by_hr.pk]
    assert ids(client.get(url(org, query="group=access"))) == [key.pk]
    assert ids(client.get(url(org, query="action=api_credential.create"))) == [key.pk]
    assert ids(client.get(url(org, query=f"person={org.colleague.pk}"))) == [march.pk]
    assert ids(client.get(url(org, query="since=2026-03-01&until=2026-03-01"))) == [march.pk]
    assert ids(client.get(url(org, query="target_type=tenancy.Organization"))) == [key.pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("cursor=bm90IGEgY3Vyc29y", "cursor"),
        ("cursor=%%%", "cursor"),
        ("page_size=0", "page_size"),
        ("page_size=201", "page_size"),
        ("page_size=ten", "page_size"),
        ("since=2026-03-05&until=2026-03-01", "until"),
        ("actor=1.5", "actor"),
        ("group=nonsense", "group"),
    ],
)
def test_bad_parameters_are_400_on_the_parameter(org: OrgPeople, query: str, field: str) -> None:
    response = as_person(org.owner).get(url(org, query=query))
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]


def test_cursor_pages_follow_each_other_on_equal_moments(org: OrgPeople) -> None:
    moment = datetime(2026, 5, 4, 9, tzinfo=UTC)
    made = [record(org, at=moment).pk for _ in range(7)]
    client = as_person(org.owner)
    seen: list[int] = []
    next_url: str | None = url(org, query="page_size=3")
    while next_url:
        body = client.get(next_url).json()
        seen += [item["id"] for item in body["results"]]
        next_url = body["next"]
    assert seen == sorted(made, reverse=True)


def test_the_openapi_description_documents_the_list_its_filters_and_pages(db: None) -> None:
    response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = response.json()["paths"]
    listing = paths["/api/v1/orgs/{org_slug}/audit-entries/"]["get"]
    names = {parameter["name"] for parameter in listing["parameters"]}
    assert {"cursor", "page_size", "actor", "action", "group", "person", "since", "until"} <= names
    assert set(paths["/api/v1/orgs/{org_slug}/audit-entries/"]) == {"get"}
    assert set(paths["/api/v1/orgs/{org_slug}/audit-entries/{audit_entry_id}/"]) == {"get"}
    page = response.json()["components"]["schemas"]["PaginatedAuditEntryList"]
    assert set(page["properties"]) == {"next", "results"}
