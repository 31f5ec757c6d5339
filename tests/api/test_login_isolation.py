"""A login is shared between organizations; no organization may change it or learn about it.

Security issue 8, item 1: an outsider created an organization, "invited" a login of another
organization without sending the invitation, read that person's name in the 201 and renamed
them everywhere with a PATCH of `full_name`.
"""

from __future__ import annotations

import pytest
from django.core import mail

from perfmgmt.accounts.models import User
from perfmgmt.tenancy import services
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, MembershipStatus
from tests.conftest import OrgPeople
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

VARYING = {"id", "email", "display_name", "created_at", "updated_at"}


def invite_silently(api_as, inviter: Membership, email: str, **fields: object) -> dict:
    response = api_as(inviter).post(
        members_url_for(inviter),
        {"email": email, "send_invitation": False, **fields},
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def members_url_for(member: Membership, member_id: int | None = None) -> str:
    url = f"/api/v1/orgs/{member.organization.slug}/members/"
    return url if member_id is None else f"{url}{member_id}/"


def test_inviting_a_login_of_another_organization_answers_like_an_unknown_address(
    org: OrgPeople, other_org: OrgPeople, api_as
) -> None:
    victim = other_org.report

    existing = invite_silently(api_as, org.owner, victim.user.email)
    unknown = invite_silently(api_as, org.owner, "nobody.yet@example.com")

    assert victim.user.full_name
    assert victim.user.full_name not in str(existing)
    assert existing["full_name"] == ""
    assert existing["display_name"] == victim.user.email
    assert unknown["display_name"] == "nobody.yet@example.com"
    assert {key: value for key, value in existing.items() if key not in VARYING} == {
        key: value for key, value in unknown.items() if key not in VARYING
    }


def test_an_invitation_shows_the_name_the_inviter_gave_not_the_logins_own(
    org: OrgPeople, other_org: OrgPeople, api_as
) -> None:
    victim = other_org.report

    body = invite_silently(api_as, org.owner, victim.user.email, full_name="Someone")

    assert body["full_name"] == "Someone"
    assert body["display_name"] == "Someone"
    victim.user.refresh_from_db()
    assert victim.user.full_name == "Rita Report (globex)"


def test_renaming_an_invited_login_of_another_organization_changes_only_the_inviters_record(
    org: OrgPeople, other_org: OrgPeople, api_as
) -> None:
    victim = other_org.report
    invited = invite_silently(api_as, org.owner, victim.user.email)

    response = api_as(org.owner).patch(
        members_url_for(org.owner, invited["id"]), {"full_name": "Mallory"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["display_name"] == "Mallory"
    victim.user.refresh_from_db()
    assert victim.user.full_name == "Rita Report (globex)"
    with organization_scope(other_org.organization):
        at_home = Membership.objects.get(pk=victim.pk)
    assert at_home.display_name == "Rita Report (globex)"
    home_view = api_as(other_org.manager).get(members_url_for(other_org.manager, victim.pk))
    assert home_view.json()["display_name"] == "Rita Report (globex)"


def test_hr_renaming_a_person_who_joined_leaves_their_login_and_other_organizations_alone(
    org: OrgPeople, other_org: OrgPeople
) -> None:
    shared = other_org.report.user
    with organization_scope(org.organization):
        member = services.member_invite(actor=org.hr, email=shared.email, send_email=False)
        invitation = member.invitations.get()
    services.invitation_accept(invitation=invitation, user=shared)

    with organization_scope(org.organization):
        renamed = services.member_update(actor=org.hr, member=member, full_name="Renamed Here")

    shared.refresh_from_db()
    assert renamed.display_name == "Renamed Here"
    assert shared.full_name == "Rita Report (globex)"
    with organization_scope(other_org.organization):
        assert Membership.objects.get(pk=other_org.report.pk).display_name == (
            "Rita Report (globex)"
        )


def test_joining_without_giving_a_name_shares_the_logins_own_name_with_the_organization(
    org: OrgPeople, other_org: OrgPeople
) -> None:
    shared = other_org.report.user
    with organization_scope(org.organization):
        member = services.member_invite(actor=org.hr, email=shared.email, send_email=False)
        assert member.display_name == shared.email
        invitation = member.invitations.get()

    joined = services.invitation_accept(invitation=invitation, user=shared)

    assert joined.status == MembershipStatus.ACTIVE
    assert joined.display_name == "Rita Report (globex)"


def test_a_new_login_made_by_an_invitation_has_no_name_until_its_person_chooses_one(
    org: OrgPeople,
) -> None:
    with organization_scope(org.organization):
        member = services.member_invite(
            actor=org.hr, email="fresh@example.com", full_name="Fresh Person", send_email=False
        )
        invitation = member.invitations.get()
    login = User.objects.get(email="fresh@example.com")
    assert login.full_name == ""

    services.invitation_accept(
        invitation=invitation, user=login, password="a-long-passphrase-1", full_name="Fresh P."
    )

    login.refresh_from_db()
    member.refresh_from_db()
    assert login.full_name == "Fresh P."
    assert member.full_name == "Fresh P."


def test_the_invitation_email_greets_the_person_by_the_organizations_name_for_them(
    org: OrgPeople, other_org: OrgPeople, django_capture_on_commit_callbacks
) -> None:
    shared = other_org.report.user
    with (
        organization_scope(org.organization),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.member_invite(actor=org.hr, email=shared.email, full_name="Rita R.")

    assert len(mail.outbox) == 1
    assert "Hello Rita R.," in mail.outbox[0].body
    assert "globex" not in mail.outbox[0].body.lower()


def test_an_existing_login_is_found_whatever_the_case_of_the_address(org: OrgPeople) -> None:
    login = UserFactory.create(email="mixed@example.com", full_name="Mixed Case")
    with organization_scope(org.organization):
        member = services.member_invite(actor=org.hr, email="MIXED@example.com", send_email=False)

    assert member.user == login
    assert member.display_name == "mixed@example.com"
