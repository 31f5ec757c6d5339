"""The member webhooks of a people sync: one event per person the sync changed.

The same events as the member services emit (member.created for someone new,
member.deactivated for someone who left, member.updated for any other change), written into
the outbox with the sync's own transaction, set-based (perfmgmt/integrations/webhooks/bulk.py):
two statements for the whole batch, one when nobody listens, none when nothing changed.
PostgreSQL builds each payload from the membership just written, with the catalogue's member
fields (`MEMBER_FIELDS_SQL` says how each is read; a catalogue field it does not name fails
at import).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from perfmgmt.integrations.webhooks.bulk import emit_selected, envelope, listening
from perfmgmt.integrations.webhooks.catalogue import event_type
from perfmgmt.tenancy.models import MembershipStatus

if TYPE_CHECKING:
    from .people_sync import Person

CREATED, UPDATED, DEACTIVATED = "member.created", "member.updated", "member.deactivated"

# How the catalogue's member fields read a membership `m` and its login `u`
# (`display_name` is Membership.display_name: the name, else the address).
MEMBER_FIELDS_SQL = {
    "external_id": "m.external_id",
    "display_name": "COALESCE(NULLIF(m.full_name, ''), u.email)",
    "job_title": "m.job_title",
    "team_id": "m.team_id",
    "manager_id": "m.manager_id",
    "role": "m.role",
    "status": "m.status",
}


def _member_data_sql() -> str:
    fields = event_type(CREATED).fields
    for name in (UPDATED, DEACTIVATED):
        if event_type(name).fields != fields:
            raise ValueError("The member events must carry the same fields.")
    missing = set(fields) - set(MEMBER_FIELDS_SQL)
    if missing:
        raise ValueError(f"MEMBER_FIELDS_SQL does not say how to read {sorted(missing)}.")
    pairs = ", ".join(f"'{field}', {MEMBER_FIELDS_SQL[field]}" for field in fields)
    return f"jsonb_build_object('object', '{event_type(CREATED).resource}', 'id', m.id, {pairs})"


_SOURCE = f"""
SELECT v.event_type, {envelope(_member_data_sql())} AS payload
  FROM unnest(%(member_ids)s::bigint[], %(names)s::text[]) WITH ORDINALITY
       AS v(member_id, event_type, position)
  JOIN tenancy_membership AS m
    ON m.id = v.member_id AND m.organization_id = %(organization)s
  JOIN accounts_user AS u ON u.id = m.user_id
 ORDER BY v.position
"""  # noqa: S608  (built from the constants above, once)


def event_names(
    changed: list[Person], original: dict[int, tuple[dict[str, Any], Any]]
) -> list[str]:
    """What happened to each changed person; read before the write gives the new ones ids."""
    names = []
    for person in changed:
        if person.id is None:
            names.append(CREATED)
        elif person.values["status"] == MembershipStatus.LEFT != original[person.id][0]["status"]:
            names.append(DEACTIVATED)
        else:
            names.append(UPDATED)
    return names


def sync_events_emit(*, changed: list[Person], names: list[str]) -> int:
    """Write the events of the people the sync changed (`names` from `event_names`), once
    they are written; the number of deliveries."""
    if not changed:
        return 0
    listened = listening(sorted(set(names)))
    if not listened:
        return 0
    pairs = [
        (name, person.id)
        for name, person in zip(names, changed, strict=True)
        if name in listened and person.id is not None  # every changed person has one now
    ]
    return emit_selected(
        source=_SOURCE,
        params={
            "member_ids": [member_id for _name, member_id in pairs],
            "names": [name for name, _member_id in pairs],
        },
    )
