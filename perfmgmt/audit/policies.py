"""Who may read the audit trail.

The trail names who changed what and its `changes` may hold personal data (a new manager, a
corrected rating), so only HR admins and owners read it, and API keys that hold the
`audit:read` scope (an organization's compliance tooling). Managers and employees do not.
"""

from __future__ import annotations

from perfmgmt.api.models import Scope
from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.policies import Actor


def can_view_audit_entries(actor: Actor) -> bool:
    if isinstance(actor, Membership):
        return actor.is_hr
    return bool(actor.has_scope(Scope.AUDIT_READ))


def can_export_audit_entries(actor: Actor) -> bool:
    """Exports are files a person downloads from the page: people only."""
    return isinstance(actor, Membership) and actor.is_hr
