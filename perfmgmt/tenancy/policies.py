"""Who may see or change what about people, from role and reporting line.

Every later feature asks these functions (or builds on `relationship`) instead of checking
roles itself. An actor is a membership (a person) or an API credential (a system).
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Union

from django.db.models import OuterRef, Q

from perfmgmt.errors import PermissionDeniedError

from . import facts
from .models import Membership, MembershipStatus, Role

if TYPE_CHECKING:
    from perfmgmt.api.models import ApiCredential

Actor = Union[Membership, "ApiCredential"]


class Relationship(enum.Enum):
    SELF = "self"
    DIRECT_MANAGER = "direct_manager"
    CHAIN_MANAGER = "chain_manager"
    NONE = "none"


def relationship(actor: Membership, target: Membership) -> Relationship:
    """How the actor stands to the target in the reporting line."""
    from .selectors import manager_chain_ids

    if actor.pk == target.pk:
        return Relationship.SELF
    if target.manager_id == actor.pk:
        return Relationship.DIRECT_MANAGER
    if actor.pk in manager_chain_ids(membership=target):
        return Relationship.CHAIN_MANAGER
    return Relationship.NONE


def person_of(actor: Actor) -> Membership | None:
    """The person behind an actor; None for a system (an API credential)."""
    return actor if isinstance(actor, Membership) else None


def require_person(actor: Actor, message: str) -> Membership:
    """The person behind an actor; an API credential is refused with `message` (403)."""
    if not isinstance(actor, Membership):
        raise PermissionDeniedError(message)
    return actor


def _is_hr(actor: Actor) -> bool:
    return isinstance(actor, Membership) and actor.role in (Role.HR_ADMIN, Role.OWNER)


def _is_owner(actor: Actor) -> bool:
    return isinstance(actor, Membership) and actor.role == Role.OWNER


def _key_writes_members(actor: Actor) -> bool:
    # An identity provider's SCIM key provisions people (perfmgmt/integrations/scim/).
    return bool(actor.has_scope("members:write") or actor.has_scope("scim"))


def is_manager_of(actor: Actor, target: Membership) -> bool:
    if not isinstance(actor, Membership):
        return False
    return relationship(actor, target) in (Relationship.DIRECT_MANAGER, Relationship.CHAIN_MANAGER)


def can_view_directory(actor: Actor) -> bool:
    """Names, titles, teams and reporting lines are visible to everyone in the organization."""
    if actor.is_api_client:
        return actor.has_scope("members:read")
    return True


def can_view_departed_members(actor: Actor) -> bool:
    """People who left stay on record for HR and systems; everyone else no longer sees them."""
    if actor.is_api_client:
        return actor.has_scope("members:read")
    return _is_hr(actor)


def can_view_member_details(actor: Actor, target: Membership) -> bool:
    """Start date, status history and external id: the person, their managers, HR, systems."""
    if not isinstance(actor, Membership):
        return actor.has_scope("members:read")
    return _is_hr(actor) or relationship(actor, target) != Relationship.NONE


def can_invite_member(actor: Actor) -> bool:
    if actor.is_api_client:
        return actor.has_scope("members:write")
    return _is_hr(actor)


def can_edit_member(actor: Actor, target: Membership) -> bool:
    """HR admins edit people; nobody but an owner touches an owner's record."""
    if actor.is_api_client:
        return _key_writes_members(actor) and target.role != Role.OWNER
    if target.role == Role.OWNER and not _is_owner(actor):
        return False
    return _is_hr(actor)


def can_change_role(actor: Actor, target: Membership, new_role: str) -> bool:
    """Only owners grant or remove HR admin and owner rights; nobody demotes themselves."""
    if actor.is_api_client:
        return False
    if actor.pk == target.pk:
        return new_role == target.role
    return _is_owner(actor)


def can_deactivate_member(actor: Actor, target: Membership) -> bool:
    if not actor.is_api_client and actor.pk == target.pk:
        return False
    return can_edit_member(actor, target)


def can_manage_teams(actor: Actor) -> bool:
    if actor.is_api_client:
        return bool(actor.has_scope("scim"))  # an identity provider's groups are teams
    return _is_hr(actor)


def can_manage_api_credentials(actor: Actor) -> bool:
    return _is_owner(actor)


def can_edit_organization(actor: Actor) -> bool:
    return _is_owner(actor)


def can_view_audit_log(actor: Actor) -> bool:
    return _is_hr(actor)


# Read with the membership of every page (menus ask it on each one: the team page, the
# analytics page).
HAS_REPORTS_HERE = facts.register(
    facts.MembershipFact(
        "has_reports_here",
        Membership,
        Q(manager=OuterRef("pk")) & ~Q(status=MembershipStatus.LEFT),
    )
)


def has_reports_here(actor: Actor) -> bool:
    """Someone with at least one report who has not left: a manager of a team."""
    return isinstance(actor, Membership) and bool(facts.value(actor, HAS_REPORTS_HERE))
