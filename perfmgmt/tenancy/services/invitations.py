"""Inviting people: the emailed link, resending it, and the invitee joining through it."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from perfmgmt.accounts.models import User
from perfmgmt.api.models import hash_secret
from perfmgmt.audit.services import audit_record
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError, full_clean_or_raise
from perfmgmt.integrations.webhooks.events import emit
from perfmgmt.notifications.email import send_templated_email
from perfmgmt.notifications.models import subject_of
from perfmgmt.notifications.services import notifications_resolve

from .. import policies
from ..context import organization_scope
from ..models import Invitation, Membership, MembershipStatus, Role, Team
from ..policies import Actor
from ._common import _validate_manager, _validate_reporting_line_change, _validate_team

INVITATION_LIFETIME = timedelta(days=14)


def invitation_issue(*, membership: Membership, invited_by: Membership | None) -> Invitation:
    """A new link for a member. No policy check: for the services here and the demo seed."""
    salt = secrets.token_urlsafe(32)
    return Invitation.objects.create(
        membership=membership,
        email=membership.user.email,
        token_hash=hash_secret(_token_from(salt)),
        token_salt=salt,
        invited_by=invited_by,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )


def _token_from(salt: str) -> str:
    return salted_hmac("perfmgmt.tenancy.invitation", salt, algorithm="sha256").hexdigest()


def invitation_link(*, invitation: Invitation) -> str:
    """The link emailed to the invitee, made again from the invitation whenever needed.

    Only the token's hash is stored; the token itself comes from a stored salt and the
    server's secret key. So a task receives the invitation's id, not the secret, and a retry
    sends the same link.
    """
    if not invitation.token_salt:
        raise ConflictError(_("This invitation's link can no longer be made; send a new one."))
    token = _token_from(invitation.token_salt)
    return settings.SITE_URL.rstrip("/") + reverse("invitation_accept", args=[token])


def invitation_email_send(*, invitation_id: int) -> bool:
    """Email an invitation (run inside its organization's scope). Nothing is sent for an
    invitation that was used, revoked or has expired since; returns whether it was sent."""
    invitation = (
        Invitation.objects.select_related("organization", "membership__user", "invited_by__user")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_usable:
        return False
    organization = invitation.organization
    inviter = invitation.invited_by.display_name if invitation.invited_by else organization.name
    send_templated_email(
        template="emails/invitation",
        to=invitation.email,
        # An invitee who already signs in elsewhere reads it in the language they chose.
        reader=invitation.membership.user,
        organization=organization,
        context={
            "organization": organization,
            "invitation": invitation,
            "inviter": inviter,
            "link": invitation_link(invitation=invitation),
        },
    )
    return True


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
    external_id: str | None = "",
    send_email: bool = True,
) -> Membership:
    """Add a person to the organization and email them a link to set a password and join.

    A login that already exists (someone in another organization) is reused, and nothing
    about it is revealed or changed: the answer is the same as for a new address, the name
    is the one given here, and the login's own name and password stay theirs.
    """
    if not policies.can_invite_member(actor):
        raise PermissionDeniedError(_("You may not invite people."))
    if role != Role.EMPLOYEE and not policies.can_change_role(actor, _placeholder(actor), role):
        raise PermissionDeniedError(_("Only owners grant HR admin or owner rights."))
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(
            _("Enter a valid email address."), fields={"email": [_("Enter a valid email address.")]}
        ) from None
    organization_id = actor.organization_id
    _validate_manager(None, manager, organization_id)
    _validate_reporting_line_change(actor, None, manager)
    _validate_team(team, organization_id)
    with transaction.atomic():
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email=email)
        elif Membership.objects.filter(user=user).exists():
            raise ConflictError(
                _("This person is already in the organization."),
                fields={"email": [_("Already a member (or invited).")]},
            )
        membership = Membership(
            user=user,
            full_name=full_name.strip(),
            role=role,
            manager=manager,
            team=team,
            job_title=job_title.strip(),
            start_date=start_date,
            external_id=(external_id or "").strip() or None,
            status=MembershipStatus.INVITED,
        )
        full_clean_or_raise(membership, exclude=["organization", "user"])
        try:
            with transaction.atomic():
                membership.save()
        except IntegrityError:
            raise ConflictError(
                _("External id already used."),
                fields={"external_id": [_("Already used by someone else.")]},
            ) from None
        invited_by = policies.person_of(actor)
        invitation = invitation_issue(membership=membership, invited_by=invited_by)
        audit_record(
            actor=actor,
            action="member.invite",
            target=membership,
            changes={"email": email, "role": role},
        )
        emit("member.created", resource=membership)
        if send_email:
            _send_invitation_after_commit(invitation)
    return membership


def _placeholder(actor: Actor) -> Membership:
    """A not-yet-saved member to ask the role policy about a person being created."""
    return Membership(role=Role.EMPLOYEE, organization_id=actor.organization_id)


def _send_invitation_after_commit(invitation: Invitation) -> None:
    from ..tasks import send_invitation_email

    organization_id, invitation_id = invitation.organization_id, invitation.pk
    transaction.on_commit(lambda: send_invitation_email.delay(organization_id, invitation_id))


def invitation_resend(*, actor: Actor, member: Membership) -> Invitation:
    if not policies.can_invite_member(actor):
        raise PermissionDeniedError(_("You may not invite people."))
    if member.status != MembershipStatus.INVITED:
        raise ConflictError(_("This person has already joined."))
    with transaction.atomic():
        Invitation.objects.filter(membership=member, accepted_at=None, revoked_at=None).update(
            revoked_at=timezone.now()
        )
        invitation = invitation_issue(membership=member, invited_by=policies.person_of(actor))
        audit_record(
            actor=actor,
            action="member.invitation_resend",
            target=member,
            changes={"email": invitation.email},
        )
        _send_invitation_after_commit(invitation)
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
    """The invitee joins. A new login sets its password here; the link proves the address.

    The name given here is how the person is called in this organization; a login that has
    no name yet takes it too. Joining without giving a name shares the login's own name
    with the organization (the person chose to join).
    """
    from allauth.account.models import EmailAddress

    if not invitation.is_usable:
        raise ConflictError(_("This invitation has expired or was already used."))
    membership = invitation.membership
    if membership.user_id != user.pk:
        raise PermissionDeniedError(_("This invitation is for another email address."))
    if not user.has_usable_password() and not password:
        raise DomainError(_("Choose a password."), fields={"password": [_("Choose a password.")]})
    if password:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise DomainError(
                _("Choose another password."), fields={"password": list(error.messages)}
            ) from None
    with organization_scope(invitation.organization), transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at is not None:
            return membership
        if not locked.is_usable:
            raise ConflictError(_("This invitation has expired or was already used."))
        if password:
            user.set_password(password)
        name = full_name.strip() or membership.full_name or user.full_name
        if not user.full_name:
            user.full_name = name
        user.save()
        EmailAddress.objects.update_or_create(
            user=user,
            email__iexact=user.email,
            defaults={"email": user.email, "verified": True, "primary": True},
        )
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["accepted_at"])
        membership.status = MembershipStatus.ACTIVE
        membership.full_name = name
        membership.save(update_fields=["status", "full_name", "updated_at"])
        audit_record(actor=membership, action="member.join", target=membership)
        notifications_resolve(
            subject=subject_of(membership), kinds=("invitation-pending",), by=membership
        )
    return membership
