"""How an entry reads: its action's label, what it is about, and its changes as before/after.

Services record changes in a few shapes; all of them read as rows of (field, before, after):

- ``{"role": ["employee", "owner"]}``: a pair is before and after;
- ``{"before": {...}, "after": {...}, "reason": "..."}``: one row per field of either side,
  and the other keys as values recorded with the change;
- ``{"name": "Platform"}``: anything else is a value recorded with the change (no before).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

from perfmgmt.registry import Registry

from . import actions
from .models import AuditEntry


@dataclass(frozen=True)
class ChangeRow:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class TargetLink:
    """A page that shows objects of `model_label`: `url_name` takes the slug and the id."""

    model_label: str
    url_name: str


_links: Registry[TargetLink] = Registry()


def register_target_link(link: TargetLink) -> None:
    """Link entries about `link.model_label` to their page (an app registers its own)."""
    _links.add(link)


register_target_link(TargetLink("tenancy.Membership", "people:profile"))
register_target_link(TargetLink("tenancy.Team", "people:team_edit"))


def shown(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def change_rows(changes: Any) -> list[ChangeRow]:
    if not isinstance(changes, dict):
        return [ChangeRow("", "—", shown(changes))] if changes else []
    before, after = changes.get("before"), changes.get("after")
    rows: list[ChangeRow] = []
    rest = changes
    if isinstance(before, dict) and isinstance(after, dict):
        for field in sorted({*before, *after}):
            rows.append(ChangeRow(field, shown(before.get(field)), shown(after.get(field))))
        rest = {key: value for key, value in changes.items() if key not in ("before", "after")}
    for field, value in rest.items():
        if isinstance(value, list) and len(value) == 2:
            rows.append(ChangeRow(field, shown(value[0]), shown(value[1])))
        else:
            rows.append(ChangeRow(field, "—", shown(value)))
    return rows


def target_url(entry: AuditEntry, slug: str) -> str | None:
    if not entry.target_id.isdigit():
        return None
    for link in _links:
        if link.model_label == entry.target_type:
            try:
                return reverse(link.url_name, args=[slug, int(entry.target_id)])
            except NoReverseMatch:
                return None
    return None


def target_text(entry: AuditEntry) -> str:
    name = getattr(entry, "target_name", None)
    if name:
        return str(name)
    return f"{actions.target_type_label(entry.target_type)} #{entry.target_id}"


@dataclass(frozen=True)
class EntryView:
    entry: AuditEntry
    action_label: str
    group_label: str
    target: str
    target_url: str | None
    changes: list[ChangeRow]


def entry_view(entry: AuditEntry, slug: str) -> EntryView:
    group = actions.group_of(entry.action)
    return EntryView(
        entry=entry,
        action_label=actions.action_label(entry.action),
        group_label="" if group is None else str(group.label),
        target=target_text(entry),
        target_url=target_url(entry, slug),
        changes=change_rows(entry.changes),
    )
