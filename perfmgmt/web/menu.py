"""The main menu: an extension point every app fills from its own `navigation.py`.

The foundation knows the groups, not the features. An app declares its entries with
`register(NavigationEntry(...))` in a module named `navigation` (discovered when the web app
is ready, like `reminders` and `whats_next`); each entry says who sees it with a policy.
Adding an app adds its menu entries without touching `perfmgmt/`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from perfmgmt.registry import Registry
from perfmgmt.tenancy.models import Membership


class Group(enum.IntEnum):
    """Menu groups, in the order they are shown."""

    MY_WORK = 10
    TEAM = 20
    ORGANIZATION = 30
    ADMIN = 40

    @property
    def label(self) -> str:
        return str(_GROUP_LABELS[self])


_GROUP_LABELS = {
    Group.MY_WORK: _("My work"),
    Group.TEAM: _("Team"),
    Group.ORGANIZATION: _("Organization"),
    Group.ADMIN: _("Admin"),
}


def everyone(membership: Membership) -> bool:
    return True


@dataclass(frozen=True)
class NavigationEntry:
    """One menu link. `url_name` takes the organization's slug unless `per_organization`
    is off; `visible` is a policy; `order` sorts entries inside their group."""

    label: str | Promise
    url_name: str
    group: Group
    order: int
    visible: Callable[[Membership], bool] = everyone
    per_organization: bool = True


_entries: Registry[NavigationEntry] = Registry()


def register(*entries: NavigationEntry) -> None:
    """Add entries to the menu. Registering the same entry twice is a no-op."""
    for entry in entries:
        _entries.add(entry)


def entries_for(membership: Membership) -> list[NavigationEntry]:
    """The entries this person may use, in menu order (group, then order, then label)."""
    visible = [entry for entry in _entries if entry.visible(membership)]
    return sorted(visible, key=lambda entry: (entry.group, entry.order, str(entry.label)))


def registered() -> list[NavigationEntry]:
    return list(_entries)


clear = _entries.clear
restored_after = _entries.restored_after
