"""Who may use the integrations."""

from __future__ import annotations

from perfmgmt.api.models import Scope
from perfmgmt.tenancy.policies import Actor, person_of


def can_sync_people(actor: Actor) -> bool:
    """An API key with the `people:sync` scope, or an HR admin or owner."""
    person = person_of(actor)
    if person is None:
        return bool(actor.has_scope(Scope.PEOPLE_SYNC)) and bool(getattr(actor, "is_active", False))
    return person.is_hr and person.can_sign_in


def can_view_sync_job(actor: Actor) -> bool:
    return can_sync_people(actor)


def can_provision(actor: Actor) -> bool:
    """SCIM: an active API key with the `scim` scope; people provision through the pages."""
    if person_of(actor) is not None:
        return False
    return bool(actor.has_scope(Scope.SCIM)) and bool(getattr(actor, "is_active", False))
