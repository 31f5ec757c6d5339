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


def event_names(
    changed: list[Person], original: dict[int, tuple[dict[str, Any], Any]]
) -> list[str]:
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


def _record(
    person: Person, emails: dict[int, str], manager_of: Callable[[Key], int | None]
) -> MemberRecord:
    member_id = int(person.id or 0)
    values = person.values
    return MemberRecord(
        pk=member_id,
        external_id=values["external_id"],
        display_name=values["full_name"] or emails.get(member_id, ""),
        job_title=values["job_title"] or "",
        team_id=values["team_id"],
        manager_id=manager_of(person.manager),
        role=person.role,
        status=values["status"],
    )


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
    pairs = [
        (name, person)
        for name, person in zip(names, changed, strict=True)
        if name in listened and person.id is not None  # every changed person has one now
    ]
    unnamed = [int(person.id or 0) for _name, person in pairs if not person.values["full_name"]]
    emails = _emails(organization_id, unnamed)
    records = [(name, _record(person, emails, manager_of)) for name, person in pairs]
    return emit_rows(records, listened=listened)
