"""Demo data of the features: an extension point filled by every app's `demo.py`.

`manage.py seed_demo` creates the demo organizations, their teams and people, then runs every
registered loader inside each organization's scope, lowest `order` first. A loader must be
idempotent (running the seed twice adds nothing) and leave alone an organization it was not
written for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules

from .models import Membership, Organization, Team


@dataclass(frozen=True)
class DemoData:
    organization: Organization
    people: dict[str, Membership]  # by the demo's key: "hr", "manager", "employee", ...
    teams: dict[str, Team]  # by name


DemoLoader = Callable[[DemoData], object]
_loaders: list[tuple[int, DemoLoader]] = []


def demo_loader(*, order: int) -> Callable[[DemoLoader], DemoLoader]:
    """Register a loader (a decorator). Registering the same one twice is a no-op."""

    def decorate(loader: DemoLoader) -> DemoLoader:
        if all(existing is not loader for _order, existing in _loaders):
            _loaders.append((order, loader))
        return loader

    return decorate


def run_demo_loaders(data: DemoData) -> None:
    """Every app's loaders for one organization (call inside its scope)."""
    autodiscover_modules("demo")
    for _order, loader in sorted(_loaders, key=lambda pair: pair[0]):
        loader(data)
