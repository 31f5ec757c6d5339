"""Creating, changing and removing teams; a team never sits under itself."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perfmgmt.audit.services import audit_record
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError, full_clean_or_raise

from .. import policies
from ..models import Membership, Team
from ..policies import Actor
from ._common import _UNSET, _plain, _validate_team


def team_create(
    *, actor: Actor, name: str, kind: str = Team.Kind.TEAM, parent: Team | None = None
) -> Team:
    if not policies.can_manage_teams(actor):
        raise PermissionDeniedError(_("Only HR admins manage teams."))
    team = Team(name=name.strip(), kind=kind, parent=parent, organization=actor.organization)
    _validate_team(parent, team.organization_id, field="parent")
    full_clean_or_raise(team, exclude=["organization"])
    if Team.objects.filter(name__iexact=team.name).exists():
        raise ConflictError(
            _("A team with this name exists."), fields={"name": [_("Already in use.")]}
        )
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
        raise PermissionDeniedError(_("Only HR admins manage teams."))
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
        full_clean_or_raise(team, exclude=["organization"])
        if (
            "name" in changes
            and Team.objects.filter(name__iexact=team.name).exclude(pk=team.pk).exists()
        ):
            raise ConflictError(
                _("A team with this name exists."), fields={"name": [_("Already in use.")]}
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
                _("A team cannot sit under itself or one of its sub-teams."),
                fields={"parent": [_("Choose a team that is not part of this one.")]},
            )
        seen.add(ancestor.pk)
        ancestor = (
            Team.objects.filter(pk=ancestor.parent_id).first() if ancestor.parent_id else None
        )


def team_delete(*, actor: Actor, team: Team) -> None:
    """Remove a team. Its members stay in the organization without a team; its sub-teams
    move up to its parent."""
    if not policies.can_manage_teams(actor):
        raise PermissionDeniedError(_("Only HR admins manage teams."))
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
