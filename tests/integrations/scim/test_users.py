"""SCIM Users: each operation, Okta's and Entra ID's PATCH forms, filters, paging, errors."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from perfmgmt.audit.models import AuditEntry
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, MembershipStatus
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory

from .conftest import ENTERPRISE, ERROR, SCIM, Scim, new_user, patch_body

pytestmark = pytest.mark.django_db


def member(org: OrgPeople, pk: int | str) -> Membership:
    with organization_scope(org.organization):
        return Membership.objects.select_related("user", "team").get(pk=pk)


def created(scim: Scim, number: int = 1, **extra: object) -> dict:
    response = scim.post("/Users", new_user(number, **extra))
    assert response.status_code == 201, response.content
    return response.json()


def test_post_creates_an_active_person_answered_as_scim(scim: Scim, org: OrgPeople) -> None:
    body = new_user(
        1, **{ENTERPRISE: {"department": "Sales", "manager": {"value": str(org.manager.pk)}}}
    )
    response = scim.post("/Users", body)

    assert response.status_code == 201
    assert response["Content-Type"] == SCIM
    data = response.json()
    assert response["Location"] == data["meta"]["location"]
    person = member(org, data["id"])
    assert person.status == MembershipStatus.ACTIVE
    assert person.external_id == "okta-1"
    assert person.full_name == "New Person 1"
    assert person.job_title == "Engineer"
    assert person.team is not None
    assert person.team.name == "Sales"
    assert person.manager_id == org.manager.pk
    assert person.user.email == "new.person1@idp.example.com"
    assert data["userName"] == "new.person1@idp.example.com"
    assert data[ENTERPRISE]["manager"]["value"] == str(org.manager.pk)


def test_a_second_post_of_the_same_person_is_a_409_in_scim_form(scim: Scim) -> None:
    created(scim)
    again = scim.post("/Users", new_user(1, externalId="okta-other"))
    assert again.status_code == 409
    assert again.json()["schemas"] == [ERROR]
    assert again.json()["scimType"] == "uniqueness"


def test_an_external_id_in_use_is_a_409_and_nothing_is_created(scim: Scim, org: OrgPeople) -> None:
    created(scim)
    with organization_scope(org.organization):
        before = Membership.objects.count()
    clash = scim.post("/Users", new_user(2, externalId="okta-1"))
    assert clash.status_code == 409
    assert clash.json()["scimType"] == "uniqueness"
    with organization_scope(org.organization):
        assert Membership.objects.count() == before


def test_entra_patch_forms_are_applied(scim: Scim, org: OrgPeople) -> None:
    user = created(scim)
    operations = patch_body(
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "moved@idp.example.com"},
        {"op": "Replace", "path": "name.familyName", "value": "Renamed"},
        {"op": "replace", "value": {"displayName": "New Renamed", "title": "Lead"}},
        {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": str(org.manager.pk)},
        {"op": "Add", "path": f"{ENTERPRISE}:department", "value": "Platform"},
    )
    response = scim.patch(f"/Users/{user['id']}", operations)

    assert response.status_code == 200, response.content
    person = member(org, user["id"])
    assert (person.full_name, person.job_title) == ("New Renamed", "Lead")
    assert person.manager_id == org.manager.pk
    assert person.team is not None
    assert person.team.name == "Platform"
    data = response.json()
    assert data["emails"][0]["value"] == "moved@idp.example.com"
    assert data["name"]["familyName"] == "Renamed"


def test_entra_active_false_as_a_string_deactivates_through_the_member_service(
    scim: Scim, org: OrgPeople
) -> None:
    user = created(scim)
    with organization_scope(org.organization):
        report = MembershipFactory.create(
            organization=org.organization, manager=member(org, user["id"])
        )
    scim.patch(
        f"/Users/{user['id']}",
        patch_body(
            {"op": "Replace", "path": f"{ENTERPRISE}:manager", "value": str(org.manager.pk)}
        ),
    )

    response = scim.patch(
        f"/Users/{user['id']}", patch_body({"op": "Replace", "path": "active", "value": "False"})
    )

    assert response.status_code == 200
    assert response.json()["active"] is False
    assert member(org, user["id"]).status == MembershipStatus.LEFT
    # As on every departure: their report moved up to their manager.
    assert member(org, report.pk).manager_id == org.manager.pk
    with organization_scope(org.organization):
        assert AuditEntry.objects.filter(action="member.deactivate", target_id=user["id"]).exists()
        assert (
            AuditEntry.objects.filter(action="scim.user.patch", target_id=user["id"]).count() == 2
        )


def test_okta_put_replaces_what_it_names_and_reactivates(scim: Scim, org: OrgPeople) -> None:
    user = created(scim)
    scim.patch(f"/Users/{user['id']}", patch_body({"op": "replace", "value": {"active": False}}))
    body = new_user(
        1, title="Director", active=True, name={"givenName": "Nu", "familyName": "Name"}
    )
    body["id"] = user["id"]

    response = scim.put(f"/Users/{user['id']}", body)

    assert response.status_code == 200, response.content
    person = member(org, user["id"])
    assert person.status == MembershipStatus.ACTIVE
    assert (person.job_title, person.full_name) == ("Director", "Nu Name")


def test_delete_deactivates_never_deletes_and_the_user_is_gone_for_scim(
    scim: Scim, org: OrgPeople
) -> None:
    user = created(scim)
    assert scim.delete(f"/Users/{user['id']}").status_code == 204

    person = member(org, user["id"])  # still on record
    assert person.status == MembershipStatus.LEFT
    gone = scim.get(f"/Users/{user['id']}")
    assert gone.status_code == 404
    assert gone.json()["schemas"] == [ERROR]
    listed = scim.get('/Users?filter=externalId eq "okta-1"').json()
    assert listed["totalResults"] == 0


def test_a_deleted_person_provisioned_again_comes_back_as_the_same_membership(
    scim: Scim, org: OrgPeople
) -> None:
    user = created(scim)
    scim.delete(f"/Users/{user['id']}")
    again = created(scim)
    assert again["id"] == user["id"]
    assert member(org, user["id"]).status == MembershipStatus.ACTIVE


def test_an_owner_is_not_deactivated_by_provisioning(scim: Scim, org: OrgPeople) -> None:
    response = scim.delete(f"/Users/{org.owner.pk}")
    assert response.status_code == 403
    assert response.json()["schemas"] == [ERROR]
    assert member(org, org.owner.pk).status == MembershipStatus.ACTIVE


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('userName eq "NEW.PERSON2@idp.example.com"', ["okta-2"]),
        ('externalId eq "okta-3"', ["okta-3"]),
        ('emails.value eq "new.person1@idp.example.com"', ["okta-1"]),
        ('userName eq "new.person1@idp.example.com" and externalId eq "okta-2"', []),
        ('externalId eq "okta-1" and active eq true', ["okta-1"]),
        ('userName eq "nobody@idp.example.com"', []),
    ],
)
def test_filters_find_people_by_what_providers_look_them_up_by(
    scim: Scim, query: str, expected: list[str]
) -> None:
    for number in (1, 2, 3):
        created(scim, number)
    data = scim.get(f"/Users?filter={query}").json()
    assert [user["externalId"] for user in data["Resources"]] == expected
    assert data["totalResults"] == len(expected)


def test_someone_never_provisioned_is_found_by_their_login_address(
    scim: Scim, org: OrgPeople
) -> None:
    data = scim.get(f'/Users?filter=userName eq "{org.report.user.email}"').json()
    assert [user["id"] for user in data["Resources"]] == [str(org.report.pk)]


@pytest.mark.parametrize(
    "query",
    [
        'userName co "x"',
        'userName eq "x" or externalId eq "y"',
        "userName eq",
        'title eq "x"',
        "(",
        '"',
    ],
)
def test_a_filter_it_does_not_serve_is_a_400_invalid_filter(scim: Scim, query: str) -> None:
    response = scim.get(f"/Users?filter={query}")
    assert response.status_code == 400
    assert response.json()["scimType"] == "invalidFilter"


def test_paging_by_start_index_and_count_with_a_maximum(scim: Scim, org: OrgPeople) -> None:
    everyone = scim.get("/Users").json()["totalResults"]
    page = scim.get("/Users?startIndex=2&count=2").json()
    assert (page["startIndex"], page["itemsPerPage"], page["totalResults"]) == (2, 2, everyone)
    huge = scim.get("/Users?count=99999999999999999999").json()
    assert huge["itemsPerPage"] == everyone  # capped at 200, fewer here
    none = scim.get("/Users?count=0").json()
    assert (none["itemsPerPage"], none["Resources"]) == (0, [])
    assert scim.get("/Users?count=abc").json()["scimType"] == "invalidValue"


@pytest.mark.parametrize(
    "body",
    [
        "{bad",
        "[]",
        '{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"]}',
        '{"userName": 5}',
    ],
)
def test_malformed_bodies_are_scim_400s(scim: Scim, org: OrgPeople, body: str) -> None:
    response = scim.client.generic(
        "POST", f"/scim/v2/{org.organization.slug}/Users", body, content_type=SCIM
    )
    assert response.status_code == 400
    assert response.json()["schemas"] == [ERROR]
    assert response.json()["scimType"] in ("invalidSyntax", "invalidValue")


def test_an_unknown_manager_is_a_400_and_nothing_changes(
    scim: Scim, org: OrgPeople, other_org: OrgPeople
) -> None:
    user = created(scim)
    response = scim.patch(
        f"/Users/{user['id']}",
        patch_body(
            {"op": "replace", "path": "title", "value": "Changed"},
            {"op": "replace", "path": f"{ENTERPRISE}:manager", "value": str(other_org.manager.pk)},
        ),
    )
    assert response.status_code == 400
    assert member(org, user["id"]).job_title == "Engineer"


def test_a_person_signed_in_with_a_session_may_not_use_scim(
    org: OrgPeople, api_as: Callable[[Membership], object]
) -> None:
    client = api_as(org.owner)
    response = client.get(f"/scim/v2/{org.organization.slug}/Users")  # type: ignore[attr-defined]
    assert response.status_code == 403
    assert response.json()["schemas"] == [ERROR]


def test_a_key_without_the_scim_scope_is_refused(org: OrgPeople) -> None:
    from perfmgmt.api.models import Scope
    from tests.api.conftest import create_key, key_client

    _credential, key = create_key(org, [Scope.MEMBERS_READ, Scope.MEMBERS_WRITE])
    response = key_client(key).get(f"/scim/v2/{org.organization.slug}/Users")
    assert response.status_code == 403
    assert response.json()["schemas"] == [ERROR]


def test_no_key_is_a_401_in_scim_form(org: OrgPeople) -> None:
    from rest_framework.test import APIClient

    response = APIClient().get(f"/scim/v2/{org.organization.slug}/Users")
    assert response.status_code == 401
    assert response.json()["schemas"] == [ERROR]


def test_every_scim_write_is_audited_once_under_its_own_action(scim: Scim, org: OrgPeople) -> None:
    user = created(scim)
    body = new_user(1, title="Changed")
    scim.put(f"/Users/{user['id']}", body)
    again = patch_body({"op": "replace", "path": "title", "value": "Again"})
    scim.patch(f"/Users/{user['id']}", again)
    scim.patch(f"/Users/{user['id']}", again)
    scim.delete(f"/Users/{user['id']}")
    with organization_scope(org.organization):
        actions = list(
            AuditEntry.objects.filter(action__startswith="scim.", target_id=user["id"])
            .order_by("pk")
            .values_list("action", "actor_label")
        )
    assert [action for action, _label in actions] == [
        "scim.user.create",
        "scim.user.replace",
        "scim.user.patch",  # the second, identical PATCH changed nothing: no entry
        "scim.user.delete",
    ]
    assert all(label.startswith("API client") for _action, label in actions)


def test_owners_can_give_a_key_the_scim_scope() -> None:
    from perfmgmt.api.forms import CredentialForm

    choices = dict(CredentialForm().fields["scopes"].choices)  # type: ignore[attr-defined]
    assert "scim" in choices


def test_an_owners_record_resent_unchanged_is_accepted_and_a_change_is_refused(
    scim: Scim, org: OrgPeople
) -> None:
    current = scim.get(f"/Users/{org.owner.pk}").json()
    assert scim.put(f"/Users/{org.owner.pk}", current).status_code == 200
    changed = scim.patch(
        f"/Users/{org.owner.pk}", patch_body({"op": "replace", "path": "title", "value": "CEO"})
    )
    assert changed.status_code == 403
    assert member(org, org.owner.pk).job_title == org.owner.job_title


@pytest.mark.parametrize(
    ("method", "path"), [("PUT", "/Users"), ("POST", "/Users/{id}"), ("GET", "/Users/.search")]
)
def test_a_method_an_endpoint_does_not_serve_is_a_scim_405(
    scim: Scim, org: OrgPeople, method: str, path: str
) -> None:
    response = scim._send(method, path.format(id=org.report.pk), {})
    assert response.status_code == 405
    assert response.json()["schemas"] == [ERROR]


def test_an_unserved_method_on_another_organizations_id_is_still_a_404(
    scim: Scim, other_org: OrgPeople
) -> None:
    assert scim._send("POST", f"/Users/{other_org.report.pk}", {}).status_code == 404
