"""Every write about organizations, teams and people."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from perfmgmt.accounts.models import User
from perfmgmt.api.models import hash_secret
from perfmgmt.audit.services import audit_record
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError

from . import policies
from .context import organization_scope
from .models import Invitation, Membership, MembershipStatus, Organization, Role, Team
from .policies import Actor
from .selectors import manager_chain_ids

INVITATION_LIFETIME = timedelta(days=14)
_UNSET: Any = object()


def _full_clean(instance: Any, **kwargs: Any) -> None:
    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        raise DomainError.from_validation_error(error) from None


def organization_create(
    *, user: User, name: str, slug: str, time_zone: str = "UTC", locale: str = "en"
) -> Organization:
    """Create an organization with the creating login as its first owner."""
    organization = Organization(name=name.strip(), slug=slug.strip().lower(), time_zone=time_zone)
    organization.locale = locale
    _full_clean(organization)
    with transaction.atomic():
        organization.save()
        with organization_scope(organization):
            Membership.objects.create(
                user=user, role=Role.OWNER, status=MembershipStatus.ACTIVE, start_date=date.today()
            )
    return organization


def organization_update(
    *, actor: Actor, organization: Organization, name: str, time_zone: str, locale: str
) -> Organization:
    if not policies.can_edit_organization(actor):
        raise PermissionDeniedError("Only owners change the organization's settings.")
    before = {"name": organization.name, "time_zone": organization.time_zone}
    organization.name, organization.time_zone, organization.locale = name, time_zone, locale
    _full_clean(organization, exclude=["slug"])
    organization.save()
    audit_record(
        actor=actor,
        action="organization.update",
        target=organization,
        changes={"before": before, "after": {"name": name, "time_zone": time_zone}},
    )
    return organization


def team_create(
    *, actor: Actor, name: str, kind: str = Team.Kind.TEAM, parent: Team | None = None
) -> Team:
    if not policies.can_manage_teams(actor):
        raise PermissionDeniedError("Only HR admins manage teams.")
    team = Team(name=name.strip(), kind=kind, parent=parent, organization=actor.organization)
    _validate_team(parent, team.organization_id, field="parent")
    _full_clean(team, exclude=["organization"])
    if Team.objects.filter(name__iexact=team.name).exists():
        raise ConflictError("A team with this name exists.", fields={"name": ["Already in use."]})
    team.save()
    audit_record(
        actor=actor,
        action="team.create",
        target=team,
        changes={"name": team.name, "kind": team.kind, "parent": parent.pk if parent else None},
    )
    return team


def team_update(
    *,
    actor: Actor,
    team: Team,
    name: str = _UNSET,
    kind: str = _UNSET,
    parent: Team | None = _UNSET,
) -> Team:
    """Rename a team, change its kind or move it under another. Only passed fields change."""
    if not policies.can_manage_teams(actor):
        raise PermissionDeniedError("Only HR admins manage teams.")
    changes: dict[str, Any] = {}
    with transaction.atomic():
        team = Team.objects.select_for_update().get(pk=team.pk)
        if parent is not _UNSET:
            _validate_team(parent, team.organization_id, field="parent")
            _validate_team_parent(team, parent)
        values = {
            "name": name.strip() if isinstance(name, str) else name,
            "kind": kind,
            "parent": parent,
        }
        for field, value in values.items():
            if value is _UNSET or getattr(team, field) == value:
                continue
            changes[field] = [_plain(getattr(team, field)), _plain(value)]
            setattr(team, field, value)
        if not changes:
            return team
        _full_clean(team, exclude=["organization"])
        if (
            "name" in changes
            and Team.objects.filter(name__iexact=team.name).exclude(pk=team.pk).exists()
        ):
            raise ConflictError(
                "A team with this name exists.", fields={"name": ["Already in use."]}
            )
        team.save()
        audit_record(actor=actor, action="team.update", target=team, changes=changes)
    return team


def _validate_team_parent(team: Team, parent: Team | None) -> None:
    """A team cannot sit under itself or under one of its own sub-teams."""
    seen: set[int] = set()
    ancestor = parent
    while ancestor is not None and ancestor.pk not in seen:
        if ancestor.pk == team.pk:
            raise DomainError(
                "A team cannot sit under itself or one of its sub-teams.",
                fields={"parent": ["Choose a team that is not part of this one."]},
            )
        seen.add(ancestor.pk)
        ancestor = (
            Team.objects.filter(pk=ancestor.parent_id).first() if ancestor.parent_id else None
        )


def team_delete(*, actor: Actor, team: Team) -> None:
    """Remove a team. Its members stay in the organization without a team; its sub-teams
    move up to its parent."""
    if not policies.can_manage_teams(actor):
        raise PermissionDeniedError("Only HR admins manage teams.")
    with transaction.atomic():
        team = Team.objects.select_for_update().get(pk=team.pk)
        members = list(Membership.objects.filter(team=team).values_list("pk", flat=True))
        Membership.objects.filter(pk__in=members).update(team=None, updated_at=timezone.now())
        Team.objects.filter(parent=team).update(parent=team.parent_id)
        audit_record(
            actor=actor,
            action="team.delete",
            target=team,
            changes={"name": team.name, "members_left_without_team": members},
        )
        team.delete()


def _validate_manager(
    member: Membership | None, manager: Membership | None, organization_id: int
) -> None:
    """Refuse a manager from elsewhere, a departed manager, or a loop in the reporting line."""
    if manager is None:
        return
    if manager.organization_id != organization_id:
        raise DomainError("Unknown manager.", fields={"manager": ["Unknown person."]})
    if manager.status == MembershipStatus.LEFT:
        raise DomainError(
            "That person has left.", fields={"manager": ["Choose someone still here."]}
        )
    if member is None or member.pk is None:
        return
    if manager.pk == member.pk:
        raise DomainError(
            "Nobody manages themselves.", fields={"manager": ["Choose someone else."]}
        )
    if member.pk in manager_chain_ids(membership=manager):
        raise DomainError(
            "That would make a loop in the reporting line.",
            fields={
                "manager": [f"{manager.display_name} already reports to {member.display_name}."]
            },
        )


def _validate_team(team: Team | None, organization_id: int, *, field: str = "team") -> None:
    if team is not None and team.organization_id != organization_id:
        raise DomainError("Unknown team.", fields={field: ["Unknown team."]})


def _new_invitation(
    *, membership: Membership, invited_by: Membership | None
) -> tuple[Invitation, str]:
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        membership=membership,
        email=membership.user.email,
        token_hash=hash_secret(token),
        invited_by=invited_by,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    return invitation, token


def member_invite(
    *,
    actor: Actor,
    email: str,
    full_name: str = "",
    role: str = Role.EMPLOYEE,
    manager: Membership | None = None,
    team: Team | None = None,
    job_title: str = "",
    start_date: date | None = None,
    external_id: str = "",
    send_email: bool = True,
) -> Membership:
    """Add a person to the organization and email them a link to set a password and join.

    A login that already exists (someone in another organization) is reused; their name and
    password stay theirs.
    """
    if not policies.can_invite_member(actor):
        raise PermissionDeniedError("You may not invite people.")
    if role != Role.EMPLOYEE and not policies.can_change_role(actor, _placeholder(actor), role):
        raise PermissionDeniedError("Only owners grant HR admin or owner rights.")
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(
            "Enter a valid email address.", fields={"email": ["Enter a valid email address."]}
        ) from None
    organization_id = actor.organization_id
    _validate_manager(None, manager, organization_id)
    _validate_team(team, organization_id)
    with transaction.atomic():
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email=email, full_name=full_name.strip())
        elif Membership.objects.filter(user=user).exists():
            raise ConflictError(
                "This person is already in the organization.",
                fields={"email": ["Already a member (or invited)."]},
            )
        membership = Membership(
            user=user,
            role=role,
            manager=manager,
            team=team,
            job_title=job_title.strip(),
            start_date=start_date,
            external_id=external_id.strip(),
            status=MembershipStatus.INVITED,
        )
        _full_clean(membership, exclude=["organization", "user"])
        try:
            with transaction.atomic():
                membership.save()
        except IntegrityError:
            raise ConflictError(
                "External id already used.",
                fields={"external_id": ["Already used by someone else."]},
            ) from None
        invited_by = policies.person_of(actor)
        invitation, token = _new_invitation(membership=membership, invited_by=invited_by)
        audit_record(
            actor=actor,
            action="member.invite",
            target=membership,
            changes={"email": email, "role": role},
        )
        if send_email:
            _send_invitation_after_commit(invitation, token)
    return membership


def _placeholder(actor: Actor) -> Membership:
    """A not-yet-saved member to ask the role policy about a person being created."""
    return Membership(role=Role.EMPLOYEE, organization_id=actor.organization_id)


def _send_invitation_after_commit(invitation: Invitation, token: str) -> None:
    from .tasks import send_invitation_email

    organization_id, invitation_id = invitation.organization_id, invitation.pk
    transaction.on_commit(
        lambda: send_invitation_email.delay(organization_id, invitation_id, token)
    )


def invitation_resend(*, actor: Actor, member: Membership) -> Invitation:
    if not policies.can_invite_member(actor):
        raise PermissionDeniedError("You may not invite people.")
    if member.status != MembershipStatus.INVITED:
        raise ConflictError("This person has already joined.")
    with transaction.atomic():
        Invitation.objects.filter(membership=member, accepted_at=None, revoked_at=None).update(
            revoked_at=timezone.now()
        )
        invitation, token = _new_invitation(membership=member, invited_by=policies.person_of(actor))
        audit_record(
            actor=actor,
            action="member.invitation_resend",
            target=member,
            changes={"email": invitation.email},
        )
        _send_invitation_after_commit(invitation, token)
    return invitation


def invitation_find(*, token: str) -> Invitation | None:
    """Look up an emailed link. Crosses organizations: the token alone names the invitation."""
    invitation = (
        Invitation.unscoped.select_related("organization", "membership__user")
        .filter(token_hash=hash_secret(token or ""))
        .first()
    )
    if invitation is None or not invitation.is_usable:
        return None
    return invitation


def invitation_accept(
    *, invitation: Invitation, user: User, password: str | None = None, full_name: str = ""
) -> Membership:
    """The invitee joins. A new login sets its password here; the link proves the address."""
    from allauth.account.models import EmailAddress

    if not invitation.is_usable:
        raise ConflictError("This invitation has expired or was already used.")
    membership = invitation.membership
    if membership.user_id != user.pk:
        raise PermissionDeniedError("This invitation is for another email address.")
    if not user.has_usable_password() and not password:
        raise DomainError("Choose a password.", fields={"password": ["Choose a password."]})
    if password:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise DomainError(
                "Choose another password.", fields={"password": list(error.messages)}
            ) from None
    with organization_scope(invitation.organization), transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at is not None:
            return membership
        if not locked.is_usable:
            raise ConflictError("This invitation has expired or was already used.")
        if password:
            user.set_password(password)
        if full_name.strip():
            user.full_name = full_name.strip()
        user.save()
        EmailAddress.objects.update_or_create(
            user=user,
            email__iexact=user.email,
            defaults={"email": user.email, "verified": True, "primary": True},
        )
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["accepted_at"])
        membership.status = MembershipStatus.ACTIVE
        membership.save(update_fields=["status", "updated_at"])
        audit_record(actor=membership, action="member.join", target=membership)
    return membership


def member_update(
    *,
    actor: Actor,
    member: Membership,
    full_name: str = _UNSET,
    job_title: str = _UNSET,
    team: Team | None = _UNSET,
    manager: Membership | None = _UNSET,
    start_date: date | None = _UNSET,
    external_id: str = _UNSET,
    role: str = _UNSET,
    status: str = _UNSET,
) -> Membership:
    """Change a person's record. Only the fields passed change; the change is audited."""
    if not policies.can_edit_member(actor, member):
        raise PermissionDeniedError("You may not edit this person.")
    if (
        role is not _UNSET
        and role != member.role
        and not policies.can_change_role(actor, member, role)
    ):
        raise PermissionDeniedError(
            "Only owners change roles.", fields={"role": ["Only owners change roles."]}
        )
    if status is not _UNSET and status == MembershipStatus.LEFT and status != member.status:
        return member_deactivate(actor=actor, member=member)
    if status is not _UNSET and status != member.status:
        _validate_status_change(member, status)
    changes: dict[str, Any] = {}
    with transaction.atomic():
        member = Membership.objects.select_for_update().select_related("user").get(pk=member.pk)
        if manager is not _UNSET:
            _validate_manager(member, manager, member.organization_id)
        if team is not _UNSET:
            _validate_team(team, member.organization_id)
        values = {
            "job_title": job_title,
            "team": team,
            "manager": manager,
            "start_date": start_date,
            "external_id": external_id,
            "role": role,
            "status": status,
        }
        for field, value in values.items():
            if value is _UNSET:
                continue
            if isinstance(value, str):
                value = value.strip()
            old = getattr(member, field)
            if old != value:
                changes[field] = [_plain(old), _plain(value)]
                setattr(member, field, value)
        if full_name is not _UNSET and full_name.strip() != member.user.full_name:
            changes["full_name"] = [member.user.full_name, full_name.strip()]
            member.user.full_name = full_name.strip()
            member.user.save(update_fields=["full_name"])
        if not changes:
            return member
        _full_clean(member, exclude=["organization", "user"])
        try:
            with transaction.atomic():
                member.save()
        except IntegrityError:
            raise ConflictError(
                "External id already used.",
                fields={"external_id": ["Already used by someone else."]},
            ) from None
        audit_record(actor=actor, action="member.update", target=member, changes=changes)
    return member


def _validate_status_change(member: Membership, status: str) -> None:
    """Joining goes through the invitation and returning through reactivation, so an edit
    only moves a person between active and on leave."""
    editable = (MembershipStatus.ACTIVE, MembershipStatus.ON_LEAVE)
    if member.status == MembershipStatus.INVITED:
        message = "This person has not joined yet; they join by accepting their invitation."
    elif member.status == MembershipStatus.LEFT:
        message = "This person has left; reactivate them first."
    elif status not in editable:
        message = "Choose active or on leave."
    else:
        return
    raise DomainError(message, fields={"status": [message]})


def _plain(value: Any) -> Any:
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, date):
        return value.isoformat()
    return value


def member_deactivate(*, actor: Actor, member: Membership) -> Membership:
    """The person leaves: no more access to this organization; nothing of theirs is deleted.

    Their reports move up to their manager so nobody is left without one. Doing it twice is
    a no-op.
    """
    if not policies.can_deactivate_member(actor, member):
        raise PermissionDeniedError("You may not deactivate this person.")
    with transaction.atomic():
        member = Membership.objects.select_for_update().select_related("user").get(pk=member.pk)
        if member.status == MembershipStatus.LEFT:
            return member
        moved = list(Membership.objects.filter(manager=member).values_list("pk", flat=True))
        Membership.objects.filter(pk__in=moved).update(
            manager=member.manager_id, updated_at=timezone.now()
        )
        Invitation.objects.filter(membership=member, accepted_at=None, revoked_at=None).update(
            revoked_at=timezone.now()
        )
        previous = member.status
        member.status = MembershipStatus.LEFT
        member.deactivated_at = timezone.now()
        member.save(update_fields=["status", "deactivated_at", "updated_at"])
        audit_record(
            actor=actor,
            action="member.deactivate",
            target=member,
            changes={
                "status": [previous, MembershipStatus.LEFT],
                "reports_moved_to_manager": moved,
            },
        )
    return member


def member_reactivate(*, actor: Actor, member: Membership) -> Membership:
    if not policies.can_edit_member(actor, member):
        raise PermissionDeniedError("You may not edit this person.")
    with transaction.atomic():
        member = Membership.objects.select_for_update().get(pk=member.pk)
        if member.status != MembershipStatus.LEFT:
            return member
        # Someone who left before ever joining is invited again rather than let straight in.
        invitations = Invitation.objects.filter(membership=member)
        never_joined = invitations.exists() and not invitations.exclude(accepted_at=None).exists()
        member.status = MembershipStatus.INVITED if never_joined else MembershipStatus.ACTIVE
        member.deactivated_at = None
        member.save(update_fields=["status", "deactivated_at", "updated_at"])
        audit_record(
            actor=actor,
            action="member.reactivate",
            target=member,
            changes={"status": [MembershipStatus.LEFT, member.status]},
        )
    return member
