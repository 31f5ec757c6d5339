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

from perfmgmt.registry import Registry

from .models import Membership, Organization, Team


@dataclass(frozen=True)
class DemoData:
    organization: Organization
    people: dict[str, Membership]  # by the demo's key: "hr", "manager", "employee", ...
    teams: dict[str, Team]  # by name


DemoLoader = Callable[[DemoData], object]


@dataclass(frozen=True)
class _Registered:
    order: int
    loader: DemoLoader


_loaders: Registry[_Registered] = Registry()


def demo_loader(*, order: int) -> Callable[[DemoLoader], DemoLoader]:
    """Register a loader (a decorator). Registering the same one twice is a no-op."""

    def decorate(loader: DemoLoader) -> DemoLoader:
        _loaders.add(_Registered(order, loader))
        return loader

    return decorate


def run_demo_loaders(data: DemoData) -> None:
    """Every app's loaders for one organization (call inside its scope)."""
    autodiscover_modules("demo")
    for registered in sorted(_loaders, key=lambda entry: entry.order):
        registered.loader(data)
