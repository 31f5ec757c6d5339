"""SCIM Groups (teams), two organizations side by side, the shared login, query counts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from perfmgmt.accounts.models import User
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, Team
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory

from .conftest import ENTERPRISE, ERROR, GROUP, Scim, new_user, patch_body

pytestmark = pytest.mark.django_db


def team_of(org: OrgPeople, member_id: int | str) -> str | None:
    with organization_scope(org.organization):
        team = Membership.objects.select_related("team").get(pk=member_id).team
    return team.name if team else None


def test_group_post_makes_a_team_with_its_members(scim: Scim, org: OrgPeople) -> None:
    body = {"schemas": [GROUP], "displayName": "Design", "members": [{"value": str(org.report.pk)}]}
    response = scim.post("/Groups", body)

    assert response.status_code == 201, response.content
    assert [m["value"] for m in response.json()["members"]] == [str(org.report.pk)]
    assert team_of(org, org.report.pk) == "Design"


def test_okta_group_patch_adds_and_removes_members(scim: Scim, org: OrgPeople) -> None:
    group = scim.post("/Groups", {"schemas": [GROUP], "displayName": "Design"}).json()
    added = scim.patch(
        f"/Groups/{group['id']}",
        patch_body(
            {
                "op": "add",
                "path": "members",
                "value": [
                    {"value": str(org.report.pk), "display": "Rita"},
                    {"value": str(org.report2.pk), "display": "Ravi"},
                ],
            },
            {"op": "replace", "value": {"id": group["id"], "displayName": "Design Team"}},
        ),
    )
    assert added.status_code == 200, added.content
    assert added.json()["displayName"] == "Design Team"

    removed = scim.patch(
        f"/Groups/{group['id']}",
        patch_body({"op": "remove", "path": f'members[value eq "{org.report.pk}"]'}),
    )
    assert [m["value"] for m in removed.json()["members"]] == [str(org.report2.pk)]
    assert team_of(org, org.report.pk) is None
    assert team_of(org, org.report2.pk) == "Design Team"


def test_entra_group_patch_removes_by_value(scim: Scim, org: OrgPeople) -> None:
    body = {"schemas": [GROUP], "displayName": "Ops", "members": [{"value": str(org.report.pk)}]}
    group = scim.post("/Groups", body).json()
    response = scim.patch(
        f"/Groups/{group['id']}",
        patch_body({"op": "Remove", "path": "members", "value": [{"value": str(org.report.pk)}]}),
    )
    assert response.status_code == 200
    assert "members" not in response.json()
    assert team_of(org, org.report.pk) is None


def test_groups_filter_by_display_name_and_exclude_members(scim: Scim, org: OrgPeople) -> None:
    data = scim.get('/Groups?filter=displayName eq "engineering"&excludedAttributes=members').json()
    assert [g["displayName"] for g in data["Resources"]] == ["Engineering"]
    assert "members" not in data["Resources"][0]


def test_a_group_member_from_another_organization_is_a_400(
    scim: Scim, org: OrgPeople, other_org: OrgPeople
) -> None:
    body = {
        "schemas": [GROUP],
        "displayName": "Leak",
        "members": [{"value": str(other_org.report.pk)}],
    }
    response = scim.post("/Groups", body)
    assert response.status_code == 400
    with organization_scope(org.organization):
        assert not Team.objects.filter(name="Leak").exists()
    assert team_of(other_org, other_org.report.pk) == "Engineering"


def test_a_key_of_one_organization_on_anothers_url_learns_nothing(
    scim: Scim, org: OrgPeople, other_org: OrgPeople
) -> None:
    theirs = f"/scim/v2/{other_org.organization.slug}/Users/{other_org.report.pk}"
    missing = f"/scim/v2/no-such-org/Users/{other_org.report.pk}"
    foreign, absent = scim.client.get(theirs), scim.client.get(missing)
    assert foreign.status_code == absent.status_code == 404
    assert foreign.json() == absent.json()
    assert foreign.json()["schemas"] == [ERROR]
    # Their people are not in our list, by id or by address.
    ours = scim.get(f"/Users/{other_org.report.pk}")
    assert ours.status_code == 404
    found = scim.get(f'/Users?filter=userName eq "{other_org.report.user.email}"').json()
    assert found["totalResults"] == 0


def test_provisioning_a_login_another_organization_uses_leaves_that_login_alone(
    scim: Scim, org: OrgPeople, other_org: OrgPeople
) -> None:
    shared = other_org.colleague.user
    before = User.objects.filter(pk=shared.pk).values().get()
    fresh = scim.post("/Users", new_user(1)).json()
    body = new_user(
        2, userName=shared.email.upper(), emails=[{"value": shared.email, "primary": True}]
    )
    reused = scim.post("/Users", body)

    assert reused.status_code == 201
    assert set(reused.json()) == set(fresh)  # answered exactly like someone new
    patch = patch_body(
        {
            "op": "replace",
            "path": "emails",
            "value": [{"value": "elsewhere@idp.example.com", "primary": True}],
        },
        {
            "op": "replace",
            "value": {"displayName": "Another Name", "userName": "other@idp.example.com"},
        },
    )
    assert scim.patch(f"/Users/{reused.json()['id']}", patch).status_code == 200
    assert User.objects.filter(pk=shared.pk).values().get() == before
    with organization_scope(other_org.organization):
        theirs = Membership.objects.get(pk=other_org.colleague.pk)
    assert theirs.full_name == other_org.colleague.full_name


def test_a_user_name_taken_in_another_organization_is_free_here(
    scim: Scim, scim_for: Callable[[OrgPeople], Scim], other_org: OrgPeople
) -> None:
    scim_for(other_org).post("/Users", new_user(7))
    assert scim.post("/Users", new_user(7)).status_code == 201


def _queries(scim: Scim, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert scim.get(path).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("path", ["/Users", "/Groups", "/Users?filter=active eq true"])
def test_list_queries_do_not_grow_with_people(scim: Scim, org: OrgPeople, path: str) -> None:
    def grow_to(count: int) -> None:
        with organization_scope(org.organization):
            team = Team.objects.get(name="Engineering")
            missing = count - Membership.objects.count()
        for _ in range(missing):
            MembershipFactory.create(organization=org.organization, team=team, manager=org.manager)

    for number in (1, 2):
        scim.post(
            "/Users", new_user(number, **{ENTERPRISE: {"manager": {"value": str(org.manager.pk)}}})
        )
    grow_to(5)
    small = _queries(scim, path)
    grow_to(50)
    assert _queries(scim, path) == small


def test_group_put_renames_and_sets_members_and_delete_removes_only_the_team(
    scim: Scim, org: OrgPeople
) -> None:
    group = scim.post("/Groups", {"schemas": [GROUP], "displayName": "Design"}).json()
    body = {
        "schemas": [GROUP],
        "id": group["id"],
        "displayName": "Product Design",
        "externalId": "entra-group-1",
        "members": [{"value": str(org.colleague.pk)}],
    }
    replaced = scim.put(f"/Groups/{group['id']}", body)
    assert replaced.status_code == 200, replaced.content
    assert replaced.json()["externalId"] == "entra-group-1"
    assert team_of(org, org.colleague.pk) == "Product Design"
    found = scim.get('/Groups?filter=externalId eq "entra-group-1"').json()
    assert [g["id"] for g in found["Resources"]] == [group["id"]]

    assert scim.delete(f"/Groups/{group['id']}").status_code == 204
    assert scim.get(f"/Groups/{group['id']}").status_code == 404
    assert team_of(org, org.colleague.pk) is None
    with organization_scope(org.organization):
        assert Membership.objects.filter(pk=org.colleague.pk).exists()


def test_someone_provisioned_without_an_address_moves_to_a_login_once_one_is_sent(
    scim: Scim, org: OrgPeople
) -> None:
    bare = scim.post("/Users", {"schemas": [new_user()["schemas"][0]], "userName": "jdoe"})
    assert bare.status_code == 201, bare.content
    assert "emails" not in bare.json()
    address = "jane.doe@idp.example.com"
    patch = patch_body(
        {"op": "add", "path": "emails", "value": [{"value": address, "primary": True}]}
    )
    assert scim.patch(f"/Users/{bare.json()['id']}", patch).status_code == 200
    with organization_scope(org.organization):
        person = Membership.objects.select_related("user").get(pk=bare.json()["id"])
    assert person.user.email == address
    assert scim.get('/Users?filter=userName eq "JDOE"').json()["totalResults"] == 1
