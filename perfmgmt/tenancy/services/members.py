"""Changing a person's record, and their leaving and coming back."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from perfmgmt.audit.services import audit_record
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError, full_clean_or_raise
from perfmgmt.integrations.webhooks.events import emit

from .. import hooks, policies
from ..models import Invitation, Membership, MembershipStatus, Team
from ..policies import Actor
from ._common import (
    _UNSET,
    _plain,
    _validate_manager,
    _validate_reporting_line_change,
    _validate_team,
)


def member_update(
    *,
    actor: Actor,
    member: Membership,
    full_name: str = _UNSET,
    job_title: str = _UNSET,
    team: Team | None = _UNSET,
    manager: Membership | None = _UNSET,
    start_date: date | None = _UNSET,
    external_id: str | None = _UNSET,
    role: str = _UNSET,
    status: str = _UNSET,
) -> Membership:
    """Change a person's record. Only the fields passed change; the change is audited.

    The name is this organization's record of it: the login, which other organizations
    share, is never written here.
    """
    if not policies.can_edit_member(actor, member):
        raise PermissionDeniedError(_("You may not edit this person."))
    if (
        role is not _UNSET
        and role != member.role
        and not policies.can_change_role(actor, member, role)
    ):
        raise PermissionDeniedError(
            _("Only owners change roles."), fields={"role": [_("Only owners change roles.")]}
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
            if getattr(manager, "pk", None) != member.manager_id:
                _validate_reporting_line_change(actor, member, manager)
        if team is not _UNSET:
            _validate_team(team, member.organization_id)
        values = {
            "full_name": full_name,
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
            if field == "external_id":
                value = value or None  # blank means none, stored as NULL
            old = getattr(member, field)
            if old != value:
                changes[field] = [_plain(old), _plain(value)]
                setattr(member, field, value)
        if not changes:
            return member
        if "manager" in changes:
            member.manager_since = timezone.now()
        full_clean_or_raise(member, exclude=["organization", "user"])
        try:
            with transaction.atomic():
                member.save()
        except IntegrityError:
            raise ConflictError(
                _("External id already used."),
                fields={"external_id": [_("Already used by someone else.")]},
            ) from None
        audit_record(actor=actor, action="member.update", target=member, changes=changes)
        emit("member.updated", resource=member)
        if "manager" in changes:
            hooks.managers_changed.run(actor=actor, member_ids=[member.pk])
    return member


def _validate_status_change(member: Membership, status: str) -> None:
    """Joining goes through the invitation and returning through reactivation, so an edit
    only moves a person between active and on leave."""
    editable = (MembershipStatus.ACTIVE, MembershipStatus.ON_LEAVE)
    if member.status == MembershipStatus.INVITED:
        message = _("This person has not joined yet; they join by accepting their invitation.")
    elif member.status == MembershipStatus.LEFT:
        message = _("This person has left; reactivate them first.")
    elif status not in editable:
        message = _("Choose active or on leave.")
    else:
        return
    raise DomainError(message, fields={"status": [message]})


def member_deactivate(*, actor: Actor, member: Membership) -> Membership:
    """The person leaves: no more access to this organization; nothing of theirs is deleted.

    Their reports move up to their manager so nobody is left without one. Doing it twice is
    a no-op.
    """
    if not policies.can_deactivate_member(actor, member):
        raise PermissionDeniedError(_("You may not deactivate this person."))
    with transaction.atomic():
        member = Membership.objects.select_for_update().select_related("user").get(pk=member.pk)
        if member.status == MembershipStatus.LEFT:
            return member
        moved = list(Membership.objects.filter(manager=member).values_list("pk", flat=True))
        # The new manager was already above them, through the person leaving: they keep
        # reading exactly what they read before, no more (see feedback/policies.py).
        Membership.objects.filter(pk__in=moved).update(
            manager=member.manager_id,
            manager_since=Greatest("manager_since", Value(member.manager_since)),
            updated_at=timezone.now(),
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
        emit("member.deactivated", resource=member)
        if moved:
            hooks.managers_changed.run(actor=actor, member_ids=moved)
    return member


def member_reactivate(*, actor: Actor, member: Membership) -> Membership:
    if not policies.can_edit_member(actor, member):
        raise PermissionDeniedError(_("You may not edit this person."))
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
        emit("member.updated", resource=member)
    return member
