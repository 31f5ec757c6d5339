from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from perfmgmt.tenancy.policies import person_of

from .models import AuditEntry

if TYPE_CHECKING:
    from perfmgmt.tenancy.policies import Actor


def audit_record(
    *, actor: Actor | None, action: str, target: models.Model, changes: dict[str, Any] | None = None
) -> AuditEntry:
    """Record a sensitive change in the organization of the target."""
    membership = None if actor is None else person_of(actor)
    label = "system"
    if membership is not None:
        label = membership.display_name
    elif actor is not None:
        label = f"API client {actor.display_name}"
    return AuditEntry.objects.create(
        actor_membership=membership,
        actor_label=label[:200],
        action=action,
        target_type=target._meta.label,
        target_id=str(target.pk),
        changes=changes or {},
    )
