"""Writes of the audit trail: recording an entry, and the one way entries may be deleted.

The table is append-only in the database (migration 0002): a trigger refuses every UPDATE
and DELETE of `audit_auditentry`, with two exceptions.

- Deleting a person row sets `actor_membership` to NULL (the foreign key's SET NULL); that
  UPDATE, and only one that changes nothing else, is let through: the entry keeps the
  person's name in `actor_label`.
- Inside `audit_entries_deletable()` (the deletion of a whole organization) DELETE is
  allowed. It sets the transaction-local setting `perfmgmt.audit_deletion`, which ends with
  the transaction (or the savepoint) it was set in, so it cannot leak into later work on the
  same connection.

This protects the trail from application code and from mistakes at a SQL prompt; a database
superuser can still drop the trigger, which is what the database's own logs are for.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction

from perfmgmt.tenancy.policies import person_of

from .models import AuditEntry

if TYPE_CHECKING:
    from perfmgmt.tenancy.policies import Actor

DELETION_SETTING = "perfmgmt.audit_deletion"


def audit_record(
    *, actor: Actor | None, action: str, target: models.Model, changes: dict[str, Any] | None = None
) -> AuditEntry:
    """Record a sensitive change in the organization of the target.

    `changes` is read by HR admins and owners: never put private note text (or anything
    derived from a private note) into it.
    """
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


@contextmanager
def audit_entries_deletable() -> Iterator[None]:
    """Allow audit entries to be deleted inside this block, and only there: for deleting an
    organization with everything it owns (`organization.delete()` inside the block)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'on', true)", [DELETION_SETTING])
        yield
        cursor.execute("SELECT set_config(%s, 'off', true)", [DELETION_SETTING])
