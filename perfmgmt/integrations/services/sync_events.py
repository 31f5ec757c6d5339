"""The member webhooks of a people sync: one event per person the sync changed.

The same events as the member services emit (member.created for someone new,
member.deactivated for someone who left, member.updated for any other change), written into
the outbox with the sync's own transaction, set-based (perfmgmt/integrations/webhooks/bulk.py):
at most three statements for the whole batch, one when nobody listens, none when nothing
changed. The payload is built from the plan, which is what was just written; only the
address of someone without a name (their display name) is read back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection

from perfmgmt.integrations.webhooks.bulk import emit_rows, listening
from perfmgmt.tenancy.models import MembershipStatus

if TYPE_CHECKING:
    from .people_sync import Key, Person

CREATED, UPDATED, DEACTIVATED = "member.created", "member.updated", "member.deactivated"


@dataclass(frozen=True)
class MemberRecord:
    """A person as the catalogue's member fields read them (see webhooks/catalogue.py)."""

    pk: int
    external_id: str | None
    display_name: str
    job_title: str
    team_id: int | None
    manager_id: int | None
    role: str
    status: str


def event_names(changed: list[Person], original: dict[int, tuple[dict[str, Any], Any]]) -> list[str]:
    """What happened to each changed person; read before the write gives the new ones ids."""
    names = []
    for person in changed:
        was = original[person.id][0]["status"] if person.id is not None else None
        if person.id is None:
            names.append(CREATED)
        elif person.values["status"] == MembershipStatus.LEFT != was:
            names.append(DEACTIVATED)
        else:
            names.append(UPDATED)
    return names


def _emails(organization_id: int, member_ids: list[int]) -> dict[int, str]:
    if not member_ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT m.id, u.email FROM tenancy_membership AS m
                 JOIN accounts_user AS u ON u.id = m.user_id
                WHERE m.organization_id = %s AND m.id = ANY(%s::bigint[])""",
            [organization_id, member_ids],
        )
        return dict(cursor.fetchall())


def sync_events_emit(
    *,
    organization_id: int,
    changed: list[Person],
    names: list[str],
    manager_of: Callable[[Key], int | None],
) -> int:
    """Write the events of the people the sync changed (`names` from `event_names`)."""
    if not changed:
        return 0
    listened = listening(sorted(set(names)))
    if not listened:
        return 0
    pairs = [(name, p) for name, p in zip(names, changed, strict=True) if name in listened]
    unnamed = [p.id for _name, p in pairs if not p.values["full_name"] and p.id is not None]
    emails = _emails(organization_id, unnamed)
    records = [
        (
            name,
            MemberRecord(
                pk=int(person.id),  # type: ignore[arg-type]
                external_id=person.values["external_id"],
                display_name=person.values["full_name"] or emails.get(int(person.id or 0), ""),  # type: ignore[arg-type]
                job_title=person.values["job_title"] or "",
                team_id=person.values["team_id"],
                manager_id=manager_of(person.manager),
                role=person.role,
                status=person.values["status"],
            ),
        )
        for name, person in pairs
    ]
    return emit_rows(records, listened=listened)
