"""What other apps may add to a 1:1, without this app knowing them (perfmgmt/hooks.py).

`agenda_items_wanted` runs when a meeting's agenda is read: a higher app (reviews, for the
review dates of an improvement plan) appends `AgendaItem`s to `items`. The handler is given
the reader and decides, through its own selectors, what that reader may see: the agenda is
read by the two sides of the 1:1 (and API keys with `one_on_ones:read`), and an item is
shown only to whoever the handler lets read it. Items are read-only and never stored here.
"""

from __future__ import annotations

from dataclasses import dataclass

from perfmgmt.hooks import Hook
from perfmgmt.tenancy.policies import Actor

from .models import Meeting


@dataclass(frozen=True)
class AgendaItem:
    title: str
    detail: str = ""
    url: str = ""
    kind: str = ""  # who added it, for styling and tests ("improvement_plan")


def _agenda_items_wanted(
    *, actor: Actor, meeting: Meeting, previous: Meeting | None, items: list[AgendaItem]
) -> None:
    """Append what `actor` should see on `meeting`'s agenda; `previous` is the series'
    meeting before it (None for the first), so a dated item shows on one meeting only."""


agenda_items_wanted = Hook(_agenda_items_wanted)
