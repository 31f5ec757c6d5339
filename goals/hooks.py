"""Hooks the goals services offer to the apps built on goals (development plans, later
reviews and rewards). Goals never imports those apps: they register handlers here, from a
module of their own loaded when Django starts.

- `before_goal_locked(goal=...)`: inside `goal_update`'s transaction, before the goal row
  is locked. An app whose rows must change with the goal locks them here, so its rows are
  always locked before goal rows (the order documented in `goals.locks`).
- `goal_changed(actor=..., goal=..., agreement_cleared=..., cancelled=...)`: in the same
  transaction, after the change is saved. `agreement_cleared` says the change cleared the
  goal's agreement; `cancelled` that it cancelled the goal.

Handlers run in the order they registered; an error in one rolls the whole change back.
Plain typed lists rather than `django.dispatch.Signal`: mypy checks each handler against
the hook's signature, nothing is held by a weak reference, and an error is never swallowed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Generic, ParamSpec

from perfmgmt.tenancy.policies import Actor

if TYPE_CHECKING:
    from goals.models import Goal

P = ParamSpec("P")


class Hook(Generic[P]):
    """A named list of handlers, all called with the arguments of `signature`."""

    def __init__(self, signature: Callable[P, None]) -> None:
        self.name = signature.__name__.lstrip("_")
        self._handlers: list[Callable[P, None]] = []

    def register(self, handler: Callable[P, None]) -> Callable[P, None]:
        """Add a handler (once: registering it again changes nothing). Usable as decorator."""
        if handler not in self._handlers:
            self._handlers.append(handler)
        return handler

    def unregister(self, handler: Callable[P, None]) -> None:
        if handler in self._handlers:
            self._handlers.remove(handler)

    @property
    def handlers(self) -> tuple[Callable[P, None], ...]:
        return tuple(self._handlers)

    def run(self, *args: P.args, **kwargs: P.kwargs) -> None:
        for handler in tuple(self._handlers):
            handler(*args, **kwargs)

    @contextmanager
    def restored_after(self, *, cleared: bool = False) -> Iterator[None]:
        """For tests: the handlers are put back afterwards (`cleared`: none meanwhile)."""
        saved = list(self._handlers)
        if cleared:
            self._handlers.clear()
        try:
            yield
        finally:
            self._handlers[:] = saved

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._handlers)} handlers>"


def _before_goal_locked(*, goal: Goal) -> None: ...


def _goal_changed(
    *, actor: Actor, goal: Goal, agreement_cleared: bool, cancelled: bool
) -> None: ...


before_goal_locked = Hook(_before_goal_locked)
goal_changed = Hook(_goal_changed)
