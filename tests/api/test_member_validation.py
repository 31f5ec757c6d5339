"""Bad input answers 400 (or 409 for a clash) with a message per field, never a 500."""

from __future__ import annotations

import pytest

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.api.conftest import members_url

pytestmark = pytest.mark.django_db


def invite(org, client, **body):
    return client.post(members_url(org), {"email": "new@example.com", **body}, format="json")


def field_errors(response):
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    return body["error"]["fields"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": ""}, "email"),
        ({"role": "emperor"}, "role"),
        ({"start_date": "31/12/2026"}, "start_date"),
        ({"job_title": "x" * 201}, "job_title"),
        ({"manager": "me"}, "manager"),
        ({"manager": 2**70}, "manager"),
        ({"team": 999_999_999}, "team"),
        ({"full_name": "Nul\x00l"}, "full_name"),
    ],
)
def test_invalid_input_is_refused_with_a_message_for_the_field(org, api_as, body, field):
    response = invite(org, api_as(org.hr), **body)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert field in field_errors(response)


def test_a_manager_from_another_organization_is_an_unknown_person(org, other_org, api_as):
    response = invite(org, api_as(org.hr), manager=other_org.manager.pk)

    assert response.status_code == 400
    assert field_errors(response) == {"manager": ["Unknown person."]}


def test_a_team_from_another_organization_is_an_unknown_team(org, other_org, api_as):
    response = invite(org, api_as(org.hr), team=other_org.report.team_id)

    assert response.status_code == 400
    assert field_errors(response) == {"team": ["Unknown team."]}


def test_changing_the_manager_to_someone_of_another_organization_is_refused(org, other_org, api_as):
    response = api_as(org.hr).patch(
        members_url(org, org.report.pk), {"manager": other_org.owner.pk}, format="json"
    )

    assert response.status_code == 400
    assert field_errors(response) == {"manager": ["Unknown person."]}
    with organization_scope(org.organization):
        assert Membership.objects.get(pk=org.report.pk).manager_id == org.manager.pk


def test_an_email_already_in_the_organization_is_a_conflict(org, api_as):
    response = invite(org, api_as(org.hr), email=org.report.user.email.upper())

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert "email" in field_errors(response)


def test_a_person_of_another_organization_can_be_invited_with_the_same_login(
    org, other_org, api_as
):
    response = invite(org, api_as(org.hr), email=other_org.report.user.email)

    assert response.status_code == 201
    assert response.json()["email"] == other_org.report.user.email


def test_an_external_id_already_used_is_a_conflict_on_invite_and_on_change(org, api_as):
    client = api_as(org.hr)
    with organization_scope(org.organization):
        Membership.objects.filter(pk=org.report.pk).update(external_id="W-1")

    on_invite = invite(org, client, external_id="W-1")
    on_change = client.patch(
        members_url(org, org.report2.pk), {"external_id": "W-1"}, format="json"
    )

    for response in (on_invite, on_change):
        assert response.status_code == 409
        assert "external_id" in field_errors(response)
    with organization_scope(org.organization):
        assert not Membership.objects.filter(user__email="new@example.com").exists()


def test_the_same_external_id_may_be_used_in_another_organization(org, other_org, api_as):
    with organization_scope(other_org.organization):
        Membership.objects.filter(pk=other_org.report.pk).update(external_id="W-1")

    assert invite(org, api_as(org.hr), external_id="W-1").status_code == 201


def test_a_loop_in_the_reporting_line_is_refused_on_the_manager_field(org, api_as):
    # Rita reports to Max; making Rita Max's manager would close a loop.
    response = api_as(org.hr).patch(
        members_url(org, org.manager.pk), {"manager": org.report.pk}, format="json"
    )

    assert response.status_code == 400
    assert "manager" in field_errors(response)
    with organization_scope(org.organization):
        assert Membership.objects.get(pk=org.manager.pk).manager_id == org.owner.pk


def test_nobody_becomes_their_own_manager(org, api_as):
    response = api_as(org.hr).patch(
        members_url(org, org.report.pk), {"manager": org.report.pk}, format="json"
    )

    assert response.status_code == 400
    assert "manager" in field_errors(response)


def test_malformed_json_is_a_400_with_the_error_body(org, api_as):
    response = api_as(org.hr).generic(
        "POST", members_url(org), "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_a_form_encoded_body_is_refused_as_unsupported(org, api_as):
    response = api_as(org.hr).post(members_url(org), {"email": "form@example.com"})

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


@pytest.mark.parametrize("query", ["status=gone", "role=king", "team=abc", "manager=1.5"])
def test_an_invalid_filter_is_a_400_naming_the_parameter(org, api_as, query):
    response = api_as(org.hr).get(members_url(org) + "?" + query)

    assert response.status_code == 400
    assert query.split("=")[0] in field_errors(response)
