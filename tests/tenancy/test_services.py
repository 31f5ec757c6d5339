"""People services: invitations, reporting lines, leaving and coming back, teams."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from perfmgmt.audit.models import AuditEntry
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from perfmgmt.tenancy import services
from perfmgmt.tenancy.models import Invitation, Membership, MembershipStatus, Role, Team
from tests.conftest import PASSWORD
from tests.factories import MembershipFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-new-passphrase-42"


def invite(actor, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return services.member_invite(actor=actor, **kwargs)


def link_token(message: mail.EmailMessage) -> str:
    match = re.search(r"/invitations/([^/\s]+)/", str(message.body))
    assert match is not None, message.body
    return match.group(1)


def audit_actions(member: Membership) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_type="tenancy.Membership", target_id=str(member.pk))
        .order_by("created_at", "id")
        .values_list("action", flat=True)
    )


# Invitations


def test_inviting_a_new_person_emails_a_link_that_sets_their_password_and_makes_them_active(
    org, scope, django_capture_on_commit_callbacks
):
    member = invite(
        org.hr,
        django_capture_on_commit_callbacks,
        email="  Nadia.New@Example.com ",
        full_name="Nadia Newcomer",
        manager=org.manager,
        job_title="Support engineer",
    )

    assert member.status == MembershipStatus.INVITED
    assert member.manager == org.manager
    assert member.user.email == "nadia.new@example.com"
    assert not member.user.has_usable_password()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nadia.new@example.com"]
    assert org.organization.name in message.subject
    assert "Hana HR" in message.body

    invitation = services.invitation_find(token=link_token(message))
    assert invitation is not None
    assert invitation.membership == member
    services.invitation_accept(invitation=invitation, user=member.user, password=NEW_PASSWORD)

    member.refresh_from_db()
    member.user.refresh_from_db()
    assert member.status == MembershipStatus.ACTIVE
    assert member.user.check_password(NEW_PASSWORD)
    assert member.user.emailaddress_set.get().verified
    assert services.invitation_find(token=link_token(message)) is None
    assert audit_actions(member) == ["member.invite", "member.join"]


def test_an_invitation_link_only_knows_its_own_token():
    assert services.invitation_find(token="not-a-real-token") is None
    assert services.invitation_find(token="") is None


def test_someone_with_a_login_elsewhere_is_invited_with_that_login_and_keeps_their_password(
    org, other_org, scope, django_capture_on_commit_callbacks
):
    elsewhere = other_org.colleague.user
    member = invite(
        org.hr, django_capture_on_commit_callbacks, email=elsewhere.email.upper(), full_name="X"
    )

    assert member.user == elsewhere
    elsewhere.refresh_from_db()
    assert elsewhere.full_name != "X"
    invitation = services.invitation_find(token=link_token(mail.outbox[0]))
    assert invitation is not None
    services.invitation_accept(invitation=invitation, user=elsewhere)

    elsewhere.refresh_from_db()
    assert elsewhere.check_password(PASSWORD)
    assert Membership.unscoped.filter(user=elsewhere).count() == 2


def test_inviting_someone_already_in_the_organization_is_a_conflict(org, scope):
    with pytest.raises(ConflictError) as caught:
        services.member_invite(actor=org.hr, email=org.colleague.user.email)
    assert "email" in caught.value.fields


def test_inviting_the_same_address_twice_is_a_conflict(org, scope):
    services.member_invite(actor=org.hr, email="twice@example.com", send_email=False)
    with pytest.raises(ConflictError):
        services.member_invite(actor=org.hr, email="Twice@example.com", send_email=False)


def test_an_employee_may_not_invite(org, scope):
    with pytest.raises(PermissionDeniedError):
        services.member_invite(actor=org.colleague, email="x@example.com")


def test_only_owners_invite_someone_as_hr_admin(org, scope):
    with pytest.raises(PermissionDeniedError):
        services.member_invite(actor=org.hr, email="hr2@example.com", role=Role.HR_ADMIN)
    member = services.member_invite(
        actor=org.owner, email="hr2@example.com", role=Role.HR_ADMIN, send_email=False
    )
    assert member.role == Role.HR_ADMIN


def test_an_invalid_email_address_is_a_field_error(org, scope):
    with pytest.raises(DomainError) as caught:
        services.member_invite(actor=org.hr, email="not an address")
    assert "email" in caught.value.fields


def test_a_manager_from_another_organization_is_refused_when_inviting(org, other_org, scope):
    with pytest.raises(DomainError) as caught:
        services.member_invite(actor=org.hr, email="x@example.com", manager=other_org.manager)
    assert "manager" in caught.value.fields
    assert not Membership.objects.filter(user__email="x@example.com").exists()


def test_a_team_from_another_organization_is_refused_when_inviting(org, other_org, scope):
    foreign_team = TeamFactory.create(organization=other_org.organization, name="Foreign")
    with pytest.raises(DomainError) as caught:
        services.member_invite(actor=org.hr, email="x@example.com", team=foreign_team)
    assert "team" in caught.value.fields


def test_resending_an_invitation_retires_the_old_link(
    org, scope, django_capture_on_commit_callbacks
):
    member = invite(org.hr, django_capture_on_commit_callbacks, email="late@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(actor=org.hr, member=member)

    first, second = (link_token(message) for message in mail.outbox)
    assert services.invitation_find(token=first) is None
    assert services.invitation_find(token=second) is not None
    with pytest.raises(ConflictError):
        services.invitation_resend(actor=org.hr, member=org.colleague)


def test_an_expired_invitation_cannot_be_accepted(org, scope, django_capture_on_commit_callbacks):
    member = invite(org.hr, django_capture_on_commit_callbacks, email="slow@example.com")
    token = link_token(mail.outbox[0])
    invitation = services.invitation_find(token=token)
    assert invitation is not None

    with time_machine.travel(timezone.now() + timedelta(days=15)):
        assert services.invitation_find(token=token) is None
        with pytest.raises(ConflictError):
            services.invitation_accept(invitation=invitation, user=member.user, password="x" * 20)


def test_accepting_needs_a_password_that_passes_the_validators(
    org, scope, django_capture_on_commit_callbacks
):
    member = invite(org.hr, django_capture_on_commit_callbacks, email="weak@example.com")
    invitation = services.invitation_find(token=link_token(mail.outbox[0]))
    assert invitation is not None

    for weak in ("", "password", "12345678"):
        with pytest.raises(DomainError) as caught:
            services.invitation_accept(invitation=invitation, user=member.user, password=weak)
        assert "password" in caught.value.fields
    member.refresh_from_db()
    assert member.status == MembershipStatus.INVITED


def test_an_invitation_accepted_by_another_login_is_refused(
    org, scope, django_capture_on_commit_callbacks
):
    invite(org.hr, django_capture_on_commit_callbacks, email="mine@example.com")
    invitation = services.invitation_find(token=link_token(mail.outbox[0]))
    assert invitation is not None
    with pytest.raises(PermissionDeniedError):
        services.invitation_accept(invitation=invitation, user=org.colleague.user)


# Reporting lines and edits


def test_a_manager_cannot_be_made_to_report_to_someone_below_them(org, scope):
    with pytest.raises(DomainError) as caught:
        services.member_update(actor=org.owner, member=org.owner, manager=org.report)
    assert "manager" in caught.value.fields
    deeper = MembershipFactory.create(organization=org.organization, manager=org.report)
    with pytest.raises(DomainError):
        services.member_update(actor=org.hr, member=org.manager, manager=deeper)
    org.owner.refresh_from_db()
    org.manager.refresh_from_db()
    assert org.owner.manager_id is None
    assert org.manager.manager == org.owner


def test_nobody_manages_themselves(org, scope):
    with pytest.raises(DomainError):
        services.member_update(actor=org.hr, member=org.manager, manager=org.manager)


def test_a_manager_from_another_organization_is_refused_when_editing(org, other_org, scope):
    with pytest.raises(DomainError) as caught:
        services.member_update(actor=org.hr, member=org.report, manager=other_org.manager)
    assert "manager" in caught.value.fields


def test_an_edit_changes_only_the_given_fields_and_is_audited(org, scope):
    services.member_update(
        actor=org.hr, member=org.report, job_title="Staff engineer", manager=org.colleague
    )

    org.report.refresh_from_db()
    assert org.report.job_title == "Staff engineer"
    assert org.report.manager == org.colleague
    entry = AuditEntry.objects.get(action="member.update", target_id=str(org.report.pk))
    assert entry.changes["manager"] == [org.manager.pk, org.colleague.pk]
    assert entry.actor_membership == org.hr


def test_an_edit_cannot_let_an_invited_person_skip_their_invitation(org, scope):
    member = services.member_invite(actor=org.hr, email="skip@example.com", send_email=False)
    with pytest.raises(DomainError) as caught:
        services.member_update(actor=org.hr, member=member, status=MembershipStatus.ACTIVE)
    assert "status" in caught.value.fields


# Moving reporting lines must not grant the mover reading rights (security issue 8)


def test_an_hr_admin_cannot_make_themselves_someones_manager(org, scope):
    with pytest.raises(PermissionDeniedError) as caught:
        services.member_update(actor=org.hr, member=org.report, manager=org.hr)
    assert "manager" in caught.value.fields
    with pytest.raises(PermissionDeniedError) as caught:
        services.member_invite(
            actor=org.hr, email="new@example.com", manager=org.hr, send_email=False
        )
    assert "manager" in caught.value.fields
    org.report.refresh_from_db()
    assert org.report.manager == org.manager
    assert not Membership.objects.filter(user__email="new@example.com").exists()


def test_an_owner_cannot_make_themselves_someones_manager_either(org, scope):
    with pytest.raises(PermissionDeniedError) as caught:
        services.member_update(actor=org.owner, member=org.report, manager=org.owner)
    assert "manager" in caught.value.fields
    org.report.refresh_from_db()
    assert org.report.manager == org.manager


def test_an_hr_admin_cannot_move_someone_under_one_of_their_own_reports(org, scope):
    hr_report = MembershipFactory.create(organization=org.organization, manager=org.hr)
    deeper = MembershipFactory.create(organization=org.organization, manager=hr_report)
    for new_manager in (hr_report, deeper):
        with pytest.raises(PermissionDeniedError) as caught:
            services.member_update(actor=org.hr, member=org.report, manager=new_manager)
        assert "reports to you" in caught.value.fields["manager"][0]
        with pytest.raises(PermissionDeniedError):
            services.member_invite(
                actor=org.hr, email="new@example.com", manager=new_manager, send_email=False
            )
    org.report.refresh_from_db()
    assert org.report.manager == org.manager


def test_another_hr_admin_may_make_an_hr_admin_someones_manager_and_the_line_starts_then(
    org, scope
):
    other_hr = MembershipFactory.create(
        organization=org.organization, role=Role.HR_ADMIN, manager=org.owner
    )
    before = org.report.manager_since
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        services.member_update(actor=other_hr, member=org.report, manager=org.hr)
        moved_at = timezone.now()

    org.report.refresh_from_db()
    assert org.report.manager == org.hr
    assert org.report.manager_since > before
    assert abs(org.report.manager_since - moved_at) < timedelta(seconds=5)


def test_an_edit_that_keeps_the_manager_keeps_when_the_line_began(org, scope):
    before = org.report.manager_since
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        services.member_update(
            actor=org.hr, member=org.report, manager=org.manager, job_title="Lead"
        )
    org.report.refresh_from_db()
    assert org.report.manager_since == before


def test_moving_someone_already_below_you_elsewhere_below_you_is_allowed(org, scope):
    services.member_update(actor=org.owner, member=org.report, manager=org.colleague)
    org.report.refresh_from_db()
    assert org.report.manager == org.colleague


@pytest.mark.parametrize("new_manager", ["colleague", None])
def test_nobody_changes_their_own_manager(org, scope, new_manager):
    manager = getattr(org, new_manager) if new_manager else None
    with pytest.raises(PermissionDeniedError) as caught:
        services.member_update(actor=org.hr, member=org.hr, manager=manager)
    assert "own manager" in caught.value.fields["manager"][0]
    org.hr.refresh_from_db()
    assert org.hr.manager == org.owner


def test_an_owner_does_not_change_their_own_manager_either(org, scope):
    other_owner = MembershipFactory.create(organization=org.organization, role=Role.OWNER)
    with pytest.raises(PermissionDeniedError) as caught:
        services.member_update(actor=org.owner, member=org.owner, manager=other_owner)
    assert "manager" in caught.value.fields
    chair = MembershipFactory.create(organization=org.organization)
    services.member_update(actor=other_owner, member=org.owner, manager=chair)
    org.owner.refresh_from_db()
    assert org.owner.manager == chair


def test_an_hr_admin_still_edits_their_own_record_when_the_manager_stays(org, scope):
    services.member_update(actor=org.hr, member=org.hr, manager=org.owner, job_title="People")
    org.hr.refresh_from_db()
    assert (org.hr.job_title, org.hr.manager) == ("People", org.owner)


def test_an_hr_admin_cannot_edit_an_owner(org, scope):
    with pytest.raises(PermissionDeniedError):
        services.member_update(actor=org.hr, member=org.owner, job_title="Boss")


# Leaving and coming back


def test_deactivating_moves_reports_to_the_manager_revokes_invitations_and_is_audited(org, scope):
    invited = services.member_invite(
        actor=org.hr, email="pending@example.com", manager=org.manager, send_email=False
    )

    services.member_deactivate(actor=org.hr, member=org.manager)

    org.manager.refresh_from_db()
    assert org.manager.status == MembershipStatus.LEFT
    assert org.manager.deactivated_at is not None
    for person in (org.report, org.report2, invited):
        person.refresh_from_db()
        assert person.manager == org.owner
    entry = AuditEntry.objects.get(action="member.deactivate")
    assert sorted(entry.changes["reports_moved_to_manager"]) == sorted(
        [org.report.pk, org.report2.pk, invited.pk]
    )

    services.member_deactivate(actor=org.hr, member=invited)
    assert not Invitation.objects.filter(membership=invited, revoked_at=None).exists()


def test_reports_moved_up_on_departure_keep_the_line_they_had_to_their_new_manager(org, scope):
    """The owner read the reports' manager-only content only from when both links below
    the owner existed; after the move, from the later of the two, as before."""
    early, late = timezone.now() - timedelta(days=30), timezone.now() - timedelta(days=5)
    Membership.objects.filter(pk=org.report.pk).update(manager_since=early)
    Membership.objects.filter(pk=org.report2.pk).update(manager_since=late)
    Membership.objects.filter(pk=org.manager.pk).update(manager_since=late - timedelta(days=1))
    org.manager.refresh_from_db()

    services.member_deactivate(actor=org.hr, member=org.manager)

    org.report.refresh_from_db()
    org.report2.refresh_from_db()
    assert org.report.manager == org.owner
    assert org.report.manager_since == late - timedelta(days=1)
    assert org.report2.manager_since == late


def test_deactivating_twice_changes_nothing_the_second_time(org, scope):
    services.member_deactivate(actor=org.hr, member=org.colleague)
    org.colleague.refresh_from_db()
    left_at = org.colleague.deactivated_at

    services.member_deactivate(actor=org.hr, member=org.colleague)

    org.colleague.refresh_from_db()
    assert org.colleague.deactivated_at == left_at
    assert AuditEntry.objects.filter(action="member.deactivate").count() == 1


def test_nobody_deactivates_themselves(org, scope):
    with pytest.raises(PermissionDeniedError):
        services.member_deactivate(actor=org.hr, member=org.hr)


def test_a_person_who_left_loses_the_org_pages_but_keeps_their_record(org, client_for):
    from perfmgmt.tenancy.context import organization_scope

    client = client_for(org.report)
    assert client.get(f"/o/{org.organization.slug}/people/").status_code == 200
    with organization_scope(org.organization):
        services.member_deactivate(actor=org.hr, member=org.report)

    assert client.get(f"/o/{org.organization.slug}/").status_code == 404
    assert client.get(f"/o/{org.organization.slug}/people/").status_code == 404
    with organization_scope(org.organization):
        kept = Membership.objects.get(pk=org.report.pk)
    assert kept.job_title == org.report.job_title
    assert kept.user.check_password(PASSWORD)


def test_reactivating_gives_access_back(org, scope):
    services.member_deactivate(actor=org.hr, member=org.colleague)
    services.member_reactivate(actor=org.hr, member=org.colleague)
    org.colleague.refresh_from_db()
    assert org.colleague.status == MembershipStatus.ACTIVE
    assert org.colleague.deactivated_at is None


def test_reactivating_someone_who_never_joined_makes_them_invited_again(org, scope):
    member = services.member_invite(actor=org.hr, email="never@example.com", send_email=False)
    services.member_deactivate(actor=org.hr, member=member)
    services.member_reactivate(actor=org.hr, member=member)
    member.refresh_from_db()
    assert member.status == MembershipStatus.INVITED


# Teams


def test_teams_are_created_renamed_moved_and_deleted_with_audit_entries(org, scope):
    parent = services.team_create(actor=org.hr, name="Product", kind=Team.Kind.DEPARTMENT)
    team = services.team_create(actor=org.hr, name="  Design ")
    assert team.name == "Design"

    services.team_update(actor=org.hr, team=team, name="Product design", parent=parent)
    team.refresh_from_db()
    assert (team.name, team.parent) == ("Product design", parent)

    services.member_update(actor=org.hr, member=org.report, team=team)
    services.team_delete(actor=org.hr, team=team)
    org.report.refresh_from_db()
    assert org.report.team is None
    assert org.report.status == MembershipStatus.ACTIVE
    assert list(
        AuditEntry.objects.filter(target_type="tenancy.Team")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["team.create", "team.create", "team.update", "team.delete"]


def test_a_team_name_is_used_once_per_organization(org, other_org, scope):
    with pytest.raises(ConflictError):
        services.team_create(actor=org.hr, name="engineering")
    other = services.team_create(actor=org.hr, name="Design")
    design = Team.objects.get(name="Design")
    with pytest.raises(ConflictError):
        services.team_update(actor=org.hr, team=design, name="Engineering")
    assert other.organization == org.organization


def test_a_team_cannot_sit_under_its_own_sub_team(org, scope):
    top = services.team_create(actor=org.hr, name="Top")
    middle = services.team_create(actor=org.hr, name="Middle", parent=top)
    bottom = services.team_create(actor=org.hr, name="Bottom", parent=middle)
    with pytest.raises(DomainError) as caught:
        services.team_update(actor=org.hr, team=top, parent=bottom)
    assert "parent" in caught.value.fields


def test_employees_do_not_manage_teams(org, scope):
    with pytest.raises(PermissionDeniedError):
        services.team_create(actor=org.colleague, name="Secret club")


def test_a_login_can_be_invited_to_a_second_organization_by_email_case_insensitively(org, scope):
    user = UserFactory.create(email="mixed@example.com")
    member = services.member_invite(actor=org.hr, email="MIXED@example.com", send_email=False)
    assert member.user == user
    assert member.user.full_name == user.full_name
