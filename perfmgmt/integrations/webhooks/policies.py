"""Who may manage webhooks: owners, and API keys holding the webhooks scopes."""

from __future__ import annotations

from perfmgmt.api.models import Scope
from perfmgmt.tenancy.models import Role
from perfmgmt.tenancy.policies import Actor, person_of


def _active_key_with(actor: Actor, *scopes: str) -> bool:
    if not getattr(actor, "is_active", False):
        return False
    return any(actor.has_scope(scope) for scope in scopes)


def can_manage_webhooks(actor: Actor) -> bool:
    """Register, change, rotate and redeliver: an owner, or a key with `webhooks:write`."""
    person = person_of(actor)
    if person is None:
        return _active_key_with(actor, Scope.WEBHOOKS_WRITE)
    return person.role == Role.OWNER and person.can_sign_in


def can_view_webhooks(actor: Actor) -> bool:
    person = person_of(actor)
    if person is None:
        return _active_key_with(actor, Scope.WEBHOOKS_READ, Scope.WEBHOOKS_WRITE)
    return can_manage_webhooks(actor)


def can_subscribe(actor: Actor, scope: str) -> bool:
    """A key receives only events about what it could read through the API."""
    return person_of(actor) is not None or actor.has_scope(scope)
