"""Helpers shared by the goal services."""

from __future__ import annotations

from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.policies import Actor


def acting_person(actor: Actor) -> Membership | None:
    """The person behind an action; None for an API key (a system)."""
    return actor if isinstance(actor, Membership) else None
