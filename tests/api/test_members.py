"""The members resource over HTTP: reading, inviting, changing and deactivating people."""

from __future__ import annotations

import pytest
from django.core import mail

from perfmgmt.audit.models import AuditEntry
from perfmgmt.tenancy import policies, selectors
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, MembershipStatus, Role
from tests.api.conftest import members_url
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

MEMBER_FIELDS = {
    "id",
    "email",
    "full_name",
    "display_name",
    "role",
    "status",
    "job_title",
    "team",
    "team_name",
    "manager",
    "start_date",
    "external_id",
    "created_at",
    "updated_at",
}


def people(org):
    return [org.owner, org.hr, org.manager, org.report, org.report2, org.colleague]


def test_hr_lists_everyone_in_their_organization_and_nobody_else(org, other_org, api_as):
    response = api_as(org.hr).get(members_url(org))

    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {m.pk for m in people(org)}
    assert response.json()["next"] is None


def test_a_member_is_shown_with_every_field_to_hr(org, api_as):
    with organization_scope(org.organization):
        Membership.objects.filter(pk=org.report.pk).update(external_id="HR-7")

    body = api_as(org.hr).get(members_url(org, org.report.pk)).json()

    assert set(body) == MEMBER_FIELDS
    assert body["email"] == org.report.user.email
    assert body["display_name"] == org.report.full_name
    assert body["manager"] == org.manager.pk
    assert body["team"] == org.report.team_id
    assert body["team_name"] == "Engineering"
    assert body["external_id"] == "HR-7"


def test_an_employee_reads_the_directory_but_not_other_peoples_details(org, api_as):
    client = api_as(org.colleague)

    other = client.get(members_url(org, org.report.pk)).json()
    own = client.get(members_url(org, org.colleague.pk)).json()

    assert other["display_name"] == org.report.display_name
    assert "start_date" not in other
    assert "external_id" not in other
    assert "start_date" in own
    assert "external_id" in own


def test_a_manager_sees_the_details_of_their_reports_only(org, api_as):
    rows = api_as(org.manager).get(members_url(org)).json()["results"]
    with_details = {row["id"] for row in rows if "external_id" in row}

    assert with_details == {org.manager.pk, org.report.pk, org.report2.pk}


def test_the_list_shows_details_exactly_where_the_policy_allows_them(org):
    api_key = None
    with organization_scope(org.organization):
        from perfmgmt.api.services import credential_create

        api_key, _ = credential_create(actor=org.owner, name="BI", scopes=["members:read"])
        for actor in [*people(org), api_key]:
            rows = selectors.member_rows(actor=actor, include_left=True).values(
                "id", "details_visible"
            )
            visible = {row["id"]: row["details_visible"] for row in rows}
            for target in people(org):
                assert visible[target.pk] == policies.can_view_member_details(actor, target), (
                    actor,
                    target,
                )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("role=hr_admin", ["hr"]),
        ("manager={manager}", ["report", "report2"]),
        ("status=left", ["colleague"]),
        ("external_id=EXT-1", ["report2"]),
        ("search=ravi", ["report2"]),
        ("search=ENGINEERING&role=owner", ["owner"]),
        ("team={team}", ["report"]),
    ],
)
def test_the_list_filters_by_query_parameters(org, api_as, query, expected):
    with organization_scope(org.organization):
        design = TeamFactory.create(organization=org.organization, name="Design")
        Membership.objects.filter(pk=org.report.pk).update(team=design)
        Membership.objects.filter(pk=org.report2.pk).update(external_id="EXT-1")
        Membership.objects.filter(pk=org.colleague.pk).update(status=MembershipStatus.LEFT)
    url = members_url(org) + "?" + query.format(manager=org.manager.pk, team=design.pk)

    response = api_as(org.hr).get(url)

    assert response.status_code == 200
    assert sorted(row["id"] for row in response.json()["results"]) == sorted(
        getattr(org, name).pk for name in expected
    )


def test_filtering_by_another_organizations_team_finds_nobody(org, other_org, api_as):
    url = members_url(org) + f"?team={other_org.report.team_id}"

    assert api_as(org.hr).get(url).json()["results"] == []


def test_hr_invites_a_person_who_gets_an_email(org, api_as, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(org.hr).post(
            members_url(org),
            {
                "email": "New.Person@Example.com",
                "full_name": "New Person",
                "manager": org.manager.pk,
                "team": org.manager.team_id,
                "job_title": "Engineer",
                "start_date": "2026-03-01",
                "external_id": "W-100",
            },
            format="json",
        )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["email"] == "new.person@example.com"
    assert body["status"] == MembershipStatus.INVITED
    assert body["role"] == Role.EMPLOYEE
    assert body["manager"] == org.manager.pk
    assert body["start_date"] == "2026-03-01"
    assert body["external_id"] == "W-100"
    assert [message.to for message in mail.outbox] == [["new.person@example.com"]]
    with organization_scope(org.organization):
        assert Membership.objects.get(pk=body["id"]).organization_id == org.organization.pk


def test_an_invitation_can_be_added_without_sending_an_email(
    org, api_as, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(org.hr).post(
            members_url(org),
            {"email": "quiet@example.com", "send_invitation": False},
            format="json",
        )

    assert response.status_code == 201
    assert mail.outbox == []


def test_an_owner_may_invite_an_hr_admin_but_an_hr_admin_may_not(org, api_as):
    body = {"email": "second-hr@example.com", "role": Role.HR_ADMIN}

    refused = api_as(org.hr).post(members_url(org), body, format="json")
    allowed = api_as(org.owner).post(members_url(org), body, format="json")

    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    assert allowed.status_code == 201
    assert allowed.json()["role"] == Role.HR_ADMIN


def test_hr_changes_only_the_fields_sent(org, api_as):
    response = api_as(org.hr).patch(
        members_url(org, org.report.pk),
        {"job_title": "Staff Engineer", "manager": org.colleague.pk},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["job_title"] == "Staff Engineer"
    assert response.json()["manager"] == org.colleague.pk
    with organization_scope(org.organization):
        report = Membership.objects.get(pk=org.report.pk)
        assert (report.job_title, report.manager_id, report.team_id) == (
            "Staff Engineer",
            org.colleague.pk,
            org.report.team_id,
        )
        assert AuditEntry.objects.filter(action="member.update", target_id=str(report.pk)).exists()


def test_hr_clears_a_manager_with_null(org, api_as):
    response = api_as(org.hr).patch(
        members_url(org, org.report.pk), {"manager": None}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["manager"] is None


def test_hr_cannot_make_itself_someones_manager_over_the_api(org, api_as):
    response = api_as(org.hr).patch(
        members_url(org, org.report.pk), {"manager": org.hr.pk}, format="json"
    )

    assert response.status_code == 403
    assert "manager" in response.json()["error"]["fields"]
    with organization_scope(org.organization):
        assert Membership.objects.get(pk=org.report.pk).manager_id == org.manager.pk


def test_hr_cannot_change_its_own_manager_over_the_api(org, api_as):
    response = api_as(org.hr).patch(
        members_url(org, org.hr.pk), {"manager": org.colleague.pk}, format="json"
    )

    assert response.status_code == 403
    assert "manager" in response.json()["error"]["fields"]
    with organization_scope(org.organization):
        assert Membership.objects.get(pk=org.hr.pk).manager_id == org.owner.pk


def test_hr_deactivates_and_reactivates_a_person_and_repeating_changes_nothing(org, api_as):
    client = api_as(org.hr)

    first = client.post(members_url(org, org.manager.pk, "deactivate"))
    second = client.post(members_url(org, org.manager.pk, "deactivate"))

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["status"] == MembershipStatus.LEFT
    with organization_scope(org.organization):
        assert Membership.objects.get(pk=org.report.pk).manager_id == org.owner.pk
        assert AuditEntry.objects.filter(action="member.deactivate").count() == 1

    back = client.post(members_url(org, org.manager.pk, "reactivate"))
    assert back.status_code == 200
    assert back.json()["status"] == MembershipStatus.ACTIVE


@pytest.mark.parametrize(
    ("method", "action", "body"),
    [
        ("post", None, {"email": "sneaky@example.com"}),
        ("patch", "", {"job_title": "Boss"}),
        ("post", "deactivate", None),
        ("post", "reactivate", None),
    ],
)
def test_an_employee_may_read_but_gets_403_on_every_write(org, api_as, method, action, body):
    client = api_as(org.colleague)
    url = members_url(org) if action is None else members_url(org, org.report.pk, action)

    response = getattr(client, method)(url, body, format="json")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert client.get(members_url(org, org.report.pk)).status_code == 200
    with organization_scope(org.organization):
        report = Membership.objects.get(pk=org.report.pk)
        assert (report.job_title, report.status) == (org.report.job_title, org.report.status)
        assert not Membership.objects.filter(user__email="sneaky@example.com").exists()


@pytest.mark.parametrize(
    ("method", "action", "body"),
    [
        ("get", "", None),
        ("patch", "", {"job_title": "Hijacked"}),
        ("post", "deactivate", None),
        ("post", "reactivate", None),
    ],
)
@pytest.mark.parametrize("caller", ["session", "api_key"])
def test_another_organizations_member_is_not_found(
    org, other_org, api_as, api_with_key, method, action, body, caller
):
    client = api_as(org.hr) if caller == "session" else api_with_key(org)

    response = getattr(client, method)(
        members_url(org, other_org.report.pk, action), body, format="json"
    )

    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "Not found.", "fields": {}}
    }
    with organization_scope(other_org.organization):
        untouched = Membership.objects.get(pk=other_org.report.pk)
        assert (untouched.job_title, untouched.status) == (
            other_org.report.job_title,
            MembershipStatus.ACTIVE,
        )


def test_a_missing_or_malformed_member_id_is_not_found(org, api_as):
    client = api_as(org.hr)

    assert client.get(members_url(org, 999_999_999)).status_code == 404
    assert client.get(members_url(org) + "abc/").status_code == 404
    assert client.get(members_url(org, 2**70)).status_code == 404


def test_an_organization_you_do_not_belong_to_looks_like_one_that_does_not_exist(
    org, other_org, api_as
):
    client = api_as(org.hr)

    foreign = client.get(members_url(other_org))
    missing = client.get("/api/v1/orgs/no-such-org/members/")

    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()


def test_someone_who_left_loses_api_access(org, api_as):
    client = api_as(org.colleague)
    with organization_scope(org.organization):
        Membership.objects.filter(pk=org.colleague.pk).update(status=MembershipStatus.LEFT)

    assert client.get(members_url(org)).status_code == 404


def test_an_anonymous_caller_gets_401_with_the_error_body(org):
    from rest_framework.test import APIClient

    response = APIClient().get(members_url(org))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "not_authenticated"
