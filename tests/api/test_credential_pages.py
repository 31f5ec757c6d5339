"""The owner pages for API keys: list, create (shown once, stored hashed), revoke."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from perfmgmt.api.models import ApiCredential, Scope, hash_secret
from perfmgmt.tenancy.context import organization_scope
from tests.api.conftest import create_key, key_client, members_url
from tests.conftest import OrgPeople

pytestmark = pytest.mark.django_db

KEYS = "/o/acme/settings/api/"


def created_key(html: str) -> str:
    found = re.search(r'<input id="api-key" type="text" value="([^"]+)"', html)
    assert found, "the new key is not on the page"
    return found[1]


def stored(org: OrgPeople) -> list[ApiCredential]:
    with organization_scope(org.organization):
        return list(ApiCredential.objects.order_by("id"))


@pytest.mark.parametrize("who", ["hr", "manager", "report"])
def test_only_owners_reach_the_api_key_pages(org: OrgPeople, client_for, who: str) -> None:
    credential, _key = create_key(org)
    client = client_for(getattr(org, who))

    assert client.get(KEYS).status_code == 403
    assert client.get(KEYS + "new/").status_code == 403
    created = client.post(KEYS + "new/", {"name": "Sneaky", "scopes": [Scope.MEMBERS_READ]})
    assert created.status_code == 403
    assert client.post(f"{KEYS}{credential.pk}/revoke/").status_code == 403
    assert [c.name for c in stored(org)] == ["HRIS sync"]
    assert stored(org)[0].revoked_at is None


def test_the_list_shows_the_organizations_keys_without_the_secret(
    org: OrgPeople, other_org: OrgPeople, client_for
) -> None:
    _credential, key = create_key(org, name="Workday sync")
    create_key(other_org, name="Globex BI")

    response = client_for(org.owner).get(KEYS)
    html = response.content.decode()

    assert response.status_code == 200
    assert "Workday sync" in html
    assert "Globex BI" not in html
    assert key not in html
    assert f"pm_{stored(org)[0].prefix}_…" in html
    assert "Never" in html  # not used yet
    assert org.owner.display_name in html


def test_an_empty_list_invites_the_owner_to_create_a_key(org: OrgPeople, client_for) -> None:
    html = client_for(org.owner).get(KEYS).content.decode()

    assert "No API keys yet." in html
    assert f'href="{KEYS}new/"' in html


def test_a_new_key_is_shown_once_and_only_its_hash_is_stored(org: OrgPeople, client_for) -> None:
    client = client_for(org.owner)

    response = client.post(
        KEYS + "new/", {"name": "BI export", "scopes": [Scope.MEMBERS_READ, Scope.GOALS_READ]}
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    key = created_key(html)
    assert "It will not be shown again." in html
    [credential] = stored(org)
    assert credential.name == "BI export"
    assert sorted(credential.scopes) == sorted([Scope.MEMBERS_READ, Scope.GOALS_READ])
    assert credential.key_hash == hash_secret(key)
    assert key not in (credential.key_hash, credential.prefix)
    assert key.startswith(f"pm_{credential.prefix}_")
    # Never again: not on the list, not on the form.
    assert key not in client.get(KEYS).content.decode()
    assert key not in client.get(KEYS + "new/").content.decode()


def test_the_new_key_works_against_the_api_with_its_scopes(org: OrgPeople, client_for) -> None:
    html = client_for(org.owner).post(
        KEYS + "new/", {"name": "Reader", "scopes": [Scope.MEMBERS_READ]}
    )
    api = key_client(created_key(html.content.decode()))

    listed = api.get(members_url(org))
    invited = api.post(members_url(org), {"email": "x@example.com"}, format="json")

    assert listed.status_code == 200
    assert invited.status_code == 403
    listed_page = client_for(org.owner).get(KEYS).content.decode()
    assert "Never" not in listed_page  # last used is now shown


def test_revoking_a_key_stops_it_at_once(org: OrgPeople, client_for) -> None:
    credential, key = create_key(org, name="Old sync")
    api = key_client(key)
    assert api.get(members_url(org)).status_code == 200
    client = client_for(org.owner)

    response = client.post(f"{KEYS}{credential.pk}/revoke/")

    assert response.status_code == 302
    assert response["Location"] == KEYS
    assert stored(org)[0].revoked_at is not None
    assert api.get(members_url(org)).status_code in (401, 403)
    html = client.get(KEYS).content.decode()
    assert "The key “Old sync” is revoked and no longer works." in html
    assert "Revoked" in html
    assert f'action="{KEYS}{credential.pk}/revoke/"' not in html


def test_revoking_twice_changes_nothing(org: OrgPeople, client_for) -> None:
    credential, _key = create_key(org)
    client = client_for(org.owner)
    client.post(f"{KEYS}{credential.pk}/revoke/")
    first = stored(org)[0].revoked_at

    again = client.post(f"{KEYS}{credential.pk}/revoke/")

    assert again.status_code == 302
    assert stored(org)[0].revoked_at == first


def test_another_organizations_key_cannot_be_revoked(
    org: OrgPeople, other_org: OrgPeople, client_for
) -> None:
    theirs, key = create_key(other_org)

    response = client_for(org.owner).post(f"{KEYS}{theirs.pk}/revoke/")

    assert response.status_code == 404
    assert key_client(key).get(members_url(other_org)).status_code == 200


def test_revoke_is_a_post(org: OrgPeople, client_for) -> None:
    credential, _key = create_key(org)

    assert client_for(org.owner).get(f"{KEYS}{credential.pk}/revoke/").status_code == 405
    assert stored(org)[0].revoked_at is None


def test_a_key_without_scopes_is_refused_and_the_form_keeps_the_name(
    org: OrgPeople, client_for
) -> None:
    response = client_for(org.owner).post(KEYS + "new/", {"name": "Half done"})
    html = response.content.decode()

    assert response.status_code == 400
    assert 'value="Half done"' in html
    assert 'class="errorlist' in html
    assert 'id="api-key"' not in html
    assert stored(org) == []


def test_a_key_without_a_name_is_refused_and_the_form_keeps_the_scopes(
    org: OrgPeople, client_for
) -> None:
    response = client_for(org.owner).post(
        KEYS + "new/", {"name": "   ", "scopes": [Scope.GOALS_READ]}
    )
    html = response.content.decode()

    assert response.status_code == 400
    assert re.search(r'value="goals:read"[^>]*checked', html)
    assert not re.search(r'value="members:read"[^>]*checked', html)
    assert 'class="errorlist' in html
    assert stored(org) == []


def test_an_unknown_scope_is_refused(org: OrgPeople, client_for) -> None:
    response = client_for(org.owner).post(
        KEYS + "new/", {"name": "Odd", "scopes": ["everything:admin"]}
    )

    assert response.status_code == 400
    assert 'value="Odd"' in response.content.decode()
    assert stored(org) == []


def test_signed_out_visitors_are_sent_to_sign_in(org: OrgPeople) -> None:
    response = Client().get(KEYS)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
