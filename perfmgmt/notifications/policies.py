"""Who may see and act on the organization's email deliveries."""

from __future__ import annotations

from perfmgmt.tenancy.models import Membership, Role
from perfmgmt.tenancy.policies import Actor


def can_view_email_deliveries(actor: Actor) -> bool:
    """HR admins and owners see every email's delivery state (addresses and errors)."""
    return isinstance(actor, Membership) and actor.role in (Role.HR_ADMIN, Role.OWNER)


def can_resend_email(actor: Actor) -> bool:
    return can_view_email_deliveries(actor)
