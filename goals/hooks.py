"""Hooks the goals services offer to the apps built on goals (development plans, later
reviews and rewards). Goals never imports those apps: they register handlers here, from a
module of their own loaded when Django starts.

- `before_goal_locked(goal=...)`: inside `goal_update`'s transaction, before the goal row
  is locked. An app whose rows must change with the goal locks them here, so its rows are
  always locked before goal rows (the order documented in `goals.locks`).
- `goal_changed(actor=..., goal=..., agreement_cleared=..., cancelled=...)`: in the same
  transaction, after the change is saved. `agreement_cleared` says the change cleared the
  goal's agreement; `cancelled` that it cancelled the goal.

Handlers run in the order they registered; an error in one rolls the whole change back
(`perfmgmt.hooks.Hook`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from perfmgmt.hooks import Hook
from perfmgmt.tenancy.policies import Actor

if TYPE_CHECKING:
    from goals.models import Goal


def _before_goal_locked(*, goal: Goal) -> None: ...


def _goal_changed(
    *, actor: Actor, goal: Goal, agreement_cleared: bool, cancelled: bool
) -> None: ...


before_goal_locked = Hook(_before_goal_locked)
goal_changed = Hook(_goal_changed)
