"""Provisioning teams: SCIM Groups are teams, their members the people in them.

A person has one team in perfmgmt, so adding someone to a group moves them from the team
they were in; their enterprise `department` names the same team. Writes go through the
team and member services.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from scim2_models import PatchOp

from perfmgmt.audit.services import audit_record
from perfmgmt.tenancy.models import Membership, Team
from perfmgmt.tenancy.policies import Actor
from perfmgmt.tenancy.services import member_update, team_create, team_delete, team_update

from ...models import ScimGroup
from .. import locks
from ..errors import ScimError
from ..present import group_resource
from ..resources import POLICY
from ..selectors import members_by_id, require_provider


def _member_values(resource: Any) -> list[str] | None:
    members = resource.members
    if members is None:
        return None
    return [str(member.value) for member in members if member.value]


def _name(resource: Any) -> str:
    name = (resource.display_name or "").strip()
    if not name:
        raise ScimError(_("displayName is required."), scim_type="invalidValue")
    return name


def scim_group_create(*, actor: Actor, resource: Any) -> Team:
    require_provider(actor)
    with transaction.atomic():
        team = team_create(actor=actor, name=_name(resource))
        _set_external_id(team, resource.external_id)
        members = _member_values(resource) or []
        _set_members(actor, team, members, current=set())
        audit_record(
            actor=actor,
            action="scim.group.create",
            target=team,
            changes={"name": team.name, "members_added": len(members)},
        )
    return team


def scim_group_replace(*, actor: Actor, team: Team, resource: Any, current: list[int]) -> Team:
    """PUT: the name, externalId and (when the body lists them) the members it says."""
    require_provider(actor)
    with transaction.atomic():
        team = locks.lock_team(team.pk)
        changes = _apply(
            actor, team, resource, current, replace_members="members" in resource.model_fields_set
        )
        audit_record(actor=actor, action="scim.group.replace", target=team, changes=changes)
    return team


def scim_group_patch(
    *, actor: Actor, team: Team, patch: PatchOp[Any], current: list[int], base_url: str
) -> Team:
    """PATCH with Okta's and Entra ID's operations (`add`/`remove` on `members`, a filter
    such as `members[value eq "12"]`, a `replace` with a value object)."""
    require_provider(actor)
    with transaction.atomic():
        team = locks.lock_team(team.pk)
        patched = group_resource(team, base_url, current)
        patch.patch(patched, scim_policy=POLICY)
        changes = _apply(actor, team, patched, current, replace_members=True)
        if changes:
            audit_record(actor=actor, action="scim.group.patch", target=team, changes=changes)
    return team


def scim_group_delete(*, actor: Actor, team: Team) -> None:
    """The team goes; its people stay in the organization without a team."""
    require_provider(actor)
    with transaction.atomic():
        team = locks.lock_team(team.pk)
        audit_record(
            actor=actor, action="scim.group.delete", target=team, changes={"name": team.name}
        )
        team_delete(actor=actor, team=team)


def _apply(
    actor: Actor, team: Team, resource: Any, current: list[int], *, replace_members: bool
) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    name = _name(resource)
    if name != team.name:
        team = team_update(actor=actor, team=team, name=name)
        changes["name"] = name
    if _set_external_id(team, resource.external_id):
        changes["external_id"] = resource.external_id
    if replace_members:
        wanted = _member_values(resource) or []
        added, removed = _set_members(actor, team, wanted, current=set(current))
        if added or removed:
            changes["members_added"], changes["members_removed"] = added, removed
    return changes


def _set_external_id(team: Team, external_id: str | None) -> bool:
    value = (external_id or "").strip()[:200]
    record = ScimGroup.objects.filter(team=team).first()
    if (record.external_id if record else "") == value:
        return False
    if record is None:
        record = ScimGroup(team=team)
    record.external_id = value
    record.save()
    return True


def _set_members(
    actor: Actor, team: Team, wanted: list[str], *, current: set[int]
) -> tuple[int, int]:
    found = members_by_id(values=wanted)
    unknown = [value for value in wanted if value not in found]
    if unknown:
        raise ScimError(
            _("members: no user with the id %(id)s.") % {"id": unknown[0][:50]},
            scim_type="invalidValue",
        )
    wanted_ids = {member.pk for member in found.values()}
    to_add = [m for m in found.values() if m.pk not in current]
    for member in {m.pk: m for m in to_add}.values():
        member_update(actor=actor, member=member, team=team)
    leaving = current - wanted_ids
    for member in Membership.objects.filter(pk__in=sorted(leaving), team=team):
        member_update(actor=actor, member=member, team=None)
    return len(to_add), len(leaving)
