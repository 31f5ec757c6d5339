"""Hooks: the way a lower layer lets higher ones react to its changes without importing them.

A lower app (or the foundation) declares a hook with the signature its handlers get; a
higher app registers a handler from a module loaded at start-up (its `ready()`). Handlers
run in the order they registered, inside the caller's transaction; an error in one rolls
the whole change back. Plain typed lists rather than `django.dispatch.Signal`: mypy checks
each handler against the hook's signature, nothing is held by a weak reference, and an
error is never swallowed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, ParamSpec

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
