"""Hooks the people services offer to the feature apps (which tenancy never imports).

- `managers_changed(actor=..., member_ids=...)`: inside the transaction that changed the
  manager of these people (an edit, a departure moving reports up, a people sync), after
  the change is saved. Reviews registers here so an open manager review follows the org
  chart. `actor` is who made the change (None for the system).
"""

from __future__ import annotations

from collections.abc import Sequence

from perfmgmt.hooks import Hook

from .policies import Actor


def _managers_changed(*, actor: Actor | None, member_ids: Sequence[int]) -> None: ...


managers_changed = Hook(_managers_changed)
