"""Bulk, idempotent people sync from an HR system: `people_sync(actor=..., people=[...])`.

How it stays fast and exact for 50,000 rows: the organization's people (with their logins'
addresses) and the teams are read in two statements; the plan (who is created, what changed,
reporting lines, cycles, who leaves) is computed in memory; then a fixed number of set
statements write it (INSERT ... SELECT FROM unnest ... ON CONFLICT (organization_id,
external_id) DO UPDATE ... WHERE something changed, UPDATE ... FROM unnest). The number of
statements never depends on the number of rows. Syncs of one organization run one at a
time (a transaction-level advisory lock), so the plan matches what is written.

Rules, the same as the member services': a login is found by email or created, and never
renamed or re-emailed (only the membership's own `full_name` is written); roles are not set
(new people are employees); someone leaving loses access, keeps everything, and their reports
move to their manager; an owner is never deactivated by a sync. Every person the sync changes
gets the member webhook the member services would send, in the same transaction
(sync_events.py).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from perfmgmt.audit.services import audit_record
from perfmgmt.errors import PermissionDeniedError
from perfmgmt.tenancy import hooks
from perfmgmt.tenancy.models import MembershipStatus, Organization, Role
from perfmgmt.tenancy.policies import Actor

from .. import policies
from . import lines, sql, sync_events
from .rows import ABSENT, RowError, SyncRow, read_rows

MODES = ("partial", "full")
ON_ERROR = ("all_or_nothing", "apply_valid")
FIELDS = ("external_id", "full_name", "job_title", "team_id", "start_date", "status")
# A person in the plan: an existing membership id, or ("new", row index).
Key = Any


@dataclass(eq=False)
class Person:
    """What the organization knows about someone, and what the sync will make of it."""

    id: int | None
    user_id: int | None
    values: dict[str, Any]
    manager: Key
    role: str = Role.EMPLOYEE
    row: SyncRow | None = None
    deactivated_at: Any = None
    new_index: int = -1  # the row that creates them, for someone new

    @property
    def key(self) -> Key:
        return self.id if self.id is not None else ("new", self.new_index)


@dataclass
class SyncResult:
    mode: str
    dry_run: bool
    on_error: str
    total: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    refused: int = 0
    applied: bool = False
    teams_created: list[str] = field(default_factory=list)
    owners_kept: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = {
            "mode": self.mode,
            "dry_run": self.dry_run,
            "on_error": self.on_error,
            "applied": self.applied,
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deactivated": self.deactivated,
            "refused": self.refused,
            "teams_created": self.teams_created,
            "owners_kept": self.owners_kept,
            "errors": [error.as_dict() for error in self.errors],
        }
        if self.dry_run:
            data["changes"] = self.changes
        return data


@dataclass
class Plan:
    organization: Organization
    people: dict[Key, Person]
    by_external_id: dict[str, Person]
    user_ids: dict[str, int]
    teams: dict[str, int]
    rows: list[SyncRow]
    original: dict[int, tuple[dict[str, Any], Any]] = field(default_factory=dict)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Reading and planning 50,000 rows makes a few hundred thousand small objects, and
    Python's cycle collector would walk the growing heap again and again (half the planning
    time); the plan makes no cycles that need collecting before the sync returns."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@_collector_paused()
def people_sync(
    *,
    actor: Actor,
    people: list[Any],
    mode: str = "partial",
    dry_run: bool = False,
    on_error: str = "all_or_nothing",
    idempotency_key: str = "",
) -> SyncResult:
    """Create and update the people of the actor's organization from an HR system's rows.

    Returns the counts and the per-row errors; with `all_or_nothing` any error means nothing
    is applied, with `apply_valid` the valid rows are. `dry_run` computes the same answer and
    writes nothing. Doing the same sync twice changes nothing the second time.
    """
    if not policies.can_sync_people(actor):
        raise PermissionDeniedError(_("You may not sync people."))
    organization = actor.organization
    result = SyncResult(mode=mode, dry_run=dry_run, on_error=on_error, total=len(people))
    rows = read_rows(people)
    with transaction.atomic():
        sql.lock_organization(organization.pk)
        plan = _load(organization, rows)
        valid = _settle(plan, rows, result)
        _deactivate_missing(plan, valid, mode, result)
        _move_reports_of_leavers(plan)
        changed = _changes(plan, result)
        if result.errors and on_error == "all_or_nothing":
            result.created = result.updated = result.deactivated = 0
            result.unchanged = 0
            result.teams_created = []
            return result
        if dry_run:
            return result
        names = sync_events.event_names(changed, plan.original)
        new_lines = _write(plan, changed, result)
        sync_events.sync_events_emit(changed=changed, names=names)
        if new_lines:
            # Whatever follows the org chart (an open manager review) follows it now.
            hooks.managers_changed.run(actor=actor, member_ids=new_lines)
        result.applied = True
        audit_record(
            actor=actor,
            action="people.sync",
            target=organization,
            changes={
                "mode": mode,
                "idempotency_key": idempotency_key,
                "total": result.total,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "deactivated": result.deactivated,
                "refused": result.refused,
            },
        )
    return result


def _load(organization: Organization, rows: list[SyncRow]) -> Plan:
    people: dict[Key, Person] = {}
    by_external_id: dict[str, Person] = {}
    original: dict[int, tuple[dict[str, Any], Any]] = {}
    members = sql.members_of(organization.pk)
    for record in members:
        values = {name: record[name] for name in FIELDS}
        person = Person(
            id=record["id"],
            user_id=record["user_id"],
            values=values,
            manager=record["manager_id"],
            role=record["role"],
            deactivated_at=record["deactivated_at"],
        )
        original[person.id] = (dict(values), person.manager)  # type: ignore[index]
        people[person.id] = person
        if record["external_id"]:
            by_external_id[record["external_id"]] = person
    # Only a login that belongs to someone here matters to the plan (that person is matched by
    # email); any other login of the batch's addresses is found or created when writing.
    user_ids = {record["email"]: record["user_id"] for record in members if record["email"]}
    return Plan(
        organization=organization,
        people=people,
        by_external_id=by_external_id,
        user_ids=user_ids,
        teams=sql.teams_of(organization.pk),
        rows=rows,
        original=original,
    )


def _settle(plan: Plan, rows: list[SyncRow], result: SyncResult) -> list[SyncRow]:
    """Match rows to people, then resolve reporting lines and refuse cycles, dropping refused
    rows (and what depended on them) until what is left holds together."""
    members_by_user = {p.user_id: p for p in plan.people.values() if p.user_id is not None}
    candidates = [row for row in rows if not row.errors]
    for row in candidates:
        _match(plan, row, members_by_user)
    while True:
        refused = [row for row in candidates if row.errors]
        candidates = [row for row in candidates if not row.errors]
        _forget(plan, refused)
        if not candidates:
            break
        for row in candidates:
            _resolve_manager(plan, row)
        if any(row.errors for row in candidates):
            continue
        if not _refuse_cycles(plan, candidates):
            break
    result.errors = [error for row in rows for error in row.errors]
    result.refused = sum(1 for row in rows if row.errors)
    return candidates


def _match(plan: Plan, row: SyncRow, members_by_user: dict[int, Person]) -> None:
    person = plan.by_external_id.get(row.external_id)
    if person is None:
        if not row.email:
            row.refuse("email", _("Required for someone new."))
            return
        user_id = plan.user_ids.get(row.email)
        existing = members_by_user.get(user_id) if user_id is not None else None
        if existing is not None and existing.values["external_id"]:
            row.refuse("email", _("Already used by another person in this organization."))
            return
        if existing is not None and existing.row is not None:
            row.refuse("email", _("Appears more than once in the batch."))
            return
        if existing is not None:
            person = existing
        else:
            person = Person(
                id=None,
                user_id=user_id,
                values=dict.fromkeys(FIELDS),
                manager=None,
                new_index=row.index,
            )
            person.values.update(full_name="", job_title="", status=MembershipStatus.ACTIVE)
            person.row = row
            plan.people[person.key] = person
        person.values["external_id"] = row.external_id
        plan.by_external_id[row.external_id] = person
    person.row = row
    if row.status == MembershipStatus.LEFT and person.role == Role.OWNER:
        row.refuse("status", _("An owner is not deactivated by a sync."))
        return
    _apply_values(plan, person, row)


def _apply_values(plan: Plan, person: Person, row: SyncRow) -> None:
    values = person.values
    for name in ("full_name", "job_title", "start_date"):
        value = getattr(row, name)
        if value is not ABSENT:
            values[name] = value
    if row.team is not ABSENT:
        values["team_id"] = (plan.teams.get(row.team) or ("new", row.team)) if row.team else None
    if row.status is not ABSENT:
        values["status"] = _next_status(values["status"], row.status)


def _next_status(current: str | None, wanted: str) -> str:
    # Joining goes through the invitation: an invited person stays invited until they accept.
    if current == MembershipStatus.INVITED and wanted != MembershipStatus.LEFT:
        return current
    return wanted


def _forget(plan: Plan, refused: list[SyncRow]) -> None:
    """A refused row changes nothing: its person goes back to what they were."""
    for row in refused:
        person = plan.by_external_id.get(row.external_id)
        if person is None or person.row is not row:
            continue
        person.row = None
        if person.id is None:
            plan.people.pop(person.key, None)
            del plan.by_external_id[row.external_id]
        else:
            values, manager = plan.original[person.id]
            person.values, person.manager = dict(values), manager
            if not values["external_id"]:
                del plan.by_external_id[row.external_id]


def _resolve_manager(plan: Plan, row: SyncRow) -> None:
    person = plan.by_external_id[row.external_id]
    if row.manager_external_id is ABSENT:
        return
    if not row.manager_external_id:
        person.manager = None
        return
    manager = plan.by_external_id.get(row.manager_external_id)
    if manager is None:
        row.refuse("manager_external_id", _("No person with this external id."))
    elif manager.values["status"] == MembershipStatus.LEFT:
        row.refuse("manager_external_id", _("This manager has left."))
    else:
        person.manager = manager.key


def _refuse_cycles(plan: Plan, rows: list[SyncRow]) -> bool:
    """Refuse every row on a loop of the reporting lines; whether any was found."""
    state: dict[Key, int] = {}  # 1: on the current path, 2: done
    found = False
    for start in list(plan.people):
        path: list[Key] = []
        key = start
        while key is not None and key in plan.people and state.get(key) is None:
            state[key] = 1
            path.append(key)
            key = plan.people[key].manager
        if key is not None and state.get(key) == 1:
            loop = path[path.index(key) :]
            loop_rows = [plan.people[k].row for k in loop if plan.people[k].row is not None]
            named = ", ".join(f"{r.index} ({r.external_id})" for r in loop_rows if r)
            for loop_row in loop_rows:
                if loop_row is not None:
                    loop_row.refuse(
                        "manager_external_id",
                        _("The reporting lines would form a loop: rows %(rows)s.")
                        % {"rows": named},
                    )
            found = True
        for done in path:
            state[done] = 2
    return found


def _deactivate_missing(plan: Plan, valid: list[SyncRow], mode: str, result: SyncResult) -> None:
    if mode != "full":
        return
    named = {row.external_id for row in valid}
    for person in plan.people.values():
        if person.id is None or person.row is not None:
            continue
        if person.values["status"] == MembershipStatus.LEFT:
            continue
        if person.values["external_id"] in named:
            continue
        if person.role == Role.OWNER:
            result.owners_kept.append(person.values["external_id"] or f"id:{person.id}")
            continue
        person.values["status"] = MembershipStatus.LEFT


def _move_reports_of_leavers(plan: Plan) -> None:
    """Nobody is left reporting to someone who left: they move up, as on deactivation."""
    for person in plan.people.values():
        seen = 0
        while person.manager is not None and seen < len(plan.people):
            manager = plan.people.get(person.manager)
            if manager is None or manager.values["status"] != MembershipStatus.LEFT:
                break
            person.manager = manager.manager
            seen += 1


def _changes(plan: Plan, result: SyncResult) -> list[Person]:
    changed: list[Person] = []
    teams_created: set[str] = set()
    for person in plan.people.values():
        team = person.values.get("team_id")
        if person.id is None:
            result.created += 1
            fields = [name for name in FIELDS if person.values.get(name) not in (None, "")]
            action = "create"
        else:
            values, manager = plan.original[person.id]
            fields = [name for name in FIELDS if values[name] != person.values[name]]
            if manager != person.manager:
                fields.append("manager")
            if not fields:
                continue
            leaving = "status" in fields and person.values["status"] == MembershipStatus.LEFT
            action = "deactivate" if leaving and person.row is None else "update"
            if action == "deactivate":
                result.deactivated += 1
            else:
                result.updated += 1
        if isinstance(team, tuple):
            teams_created.add(team[1])
        changed.append(person)
        row = person.row
        result.changes.append(
            {
                "row": row.index if row else None,
                "external_id": person.values["external_id"] or "",
                "action": action,
                "fields": [name.removesuffix("_id") for name in fields],
            }
        )
    synced = sum(1 for person in plan.people.values() if person.row is not None)
    result.unchanged = synced - result.created - result.updated
    result.teams_created = sorted(teams_created)
    return changed


def _write(plan: Plan, changed: list[Person], result: SyncResult) -> list[int]:
    """Write the plan; the ids of the people already there whose manager changed."""
    organization_id = plan.organization.pk
    new_teams = sorted({t[1] for p in changed if isinstance(t := p.values.get("team_id"), tuple)})
    if new_teams:
        plan.teams.update(sql.teams_create(organization_id, new_teams))
    for person in changed:
        team = person.values.get("team_id")
        if isinstance(team, tuple):
            person.values["team_id"] = plan.teams[team[1]]
    created = [person for person in changed if person.id is None]
    new = {id(person) for person in created}
    missing_logins = [p.row.email for p in created if p.user_id is None and p.row]
    if missing_logins:
        plan.user_ids.update(sql.users_create(missing_logins))
    for person in created:
        if person.user_id is None and person.row is not None:
            person.user_id = plan.user_ids[person.row.email]
    # Someone new is written with their id, manager and reporting line in one statement.
    ids = sql.members_reserve_ids(len(created)) if created else []
    placed = lines.new_lines(created, ids, known_id=lambda key: _manager_id(plan, key))
    new_ids, with_managers = sql.members_insert(organization_id, created, ids, placed)
    for person in created:
        person.id = new_ids[person.values["external_id"]]
    sql.members_update(organization_id, [p for p in changed if id(p) not in new])
    # Unless (ON CONFLICT) a new person's row was someone else's by then: then every line is
    # set again. What follows the org chart hears of the people who were there before
    # (nobody new is in a running review).
    managers = [
        (person.id, _manager_id(plan, person.manager))
        for person in changed
        if person.id is not None and (id(person) not in new or not with_managers)
    ]
    return sql.managers_set(organization_id, managers)


def _manager_id(plan: Plan, key: Key) -> int | None:
    if key is None:
        return None
    if isinstance(key, tuple):
        row = plan.rows[key[1]]
        return plan.by_external_id[row.external_id].id
    return int(key)
