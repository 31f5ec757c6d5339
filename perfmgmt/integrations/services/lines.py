"""The reporting lines of the people a sync creates, planned before they are written.

Each new person gets their id (reserved from the table's sequence), their manager's id and
their stored reporting line in the one INSERT that writes them (sql._MEMBERS_INSERT), so the
database's check of new rows (tenancy migration 0008) finds every line right and rewrites
none. A line is that of the person above the batch (someone already there, whose stored line
the INSERT reads, or nobody) and then the new people between them and the new person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .people_sync import Person

Key = Any  # a person in the plan (people_sync.Key)
# A new person's line: the person above the batch (or None), then the new ids below them.
Line = tuple[int | None, list[int]]


@dataclass
class NewLines:
    """For each new person, in order: their manager, the person above the batch on their
    line, and where their part of the line is in `lines` (from `starts` to `ends`, from 1)."""

    manager_ids: list[int | None] = field(default_factory=list)
    tops: list[int | None] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


def new_lines(
    created: list[Person], ids: list[int], *, known_id: Callable[[Key], int | None]
) -> NewLines:
    """The managers and lines of `created`, who get `ids` (in order); `known_id` gives the
    id of a manager who is not new (None for no manager)."""
    new_id = {person.key: member_id for person, member_id in zip(created, ids, strict=True)}
    managers = {person.key: person.manager for person in created}
    line: dict[Key, Line] = {}
    placed = NewLines()
    for person in created:
        manager = person.manager
        placed.manager_ids.append(new_id[manager] if manager in new_id else known_id(manager))
        top, below = _line(person.key, managers, new_id, line, known_id)
        placed.tops.append(top)
        placed.starts.append(len(placed.lines) + 1)
        placed.lines.extend(below)
        placed.ends.append(len(placed.lines))
    return placed


def _line(
    key: Key,
    managers: dict[Key, Key],
    new_id: dict[Key, int],
    line: dict[Key, Line],
    known_id: Callable[[Key], int | None],
) -> Line:
    """Up the new managers to one whose line is known or who reports to someone already
    there (or nobody), then down again, remembering each line (cycles were refused)."""
    climbed: list[Key] = []
    while key not in line:
        manager = managers[key]
        if manager not in new_id:
            line[key] = (known_id(manager), [])
            break
        climbed.append(key)
        key = manager
    for below in reversed(climbed):
        manager = managers[below]
        top, above = line[manager]
        line[below] = (top, [*above, new_id[manager]])
    return line[climbed[0]] if climbed else line[key]
