"""The list behind each extension point (menu, home page items, pages, API routes, demo).

An app adds to a registry from a module of its own at start-up; the foundation reads it.
Adding the same thing twice is a no-op, so a module imported twice registers once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self) -> None:
        self._items: list[T] = []

    def add(self, item: T) -> T:
        if all(existing != item for existing in self._items):
            self._items.append(item)
        return item

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._items))

    def clear(self) -> None:
        """Forget everything (tests only, inside `restored_after`)."""
        self._items.clear()

    @contextmanager
    def restored_after(self) -> Iterator[None]:
        """For tests that register a stub app's items: the registry is put back afterwards."""
        saved = list(self._items)
        try:
            yield
        finally:
            self._items[:] = saved
