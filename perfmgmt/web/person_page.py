"""The person page as a hub: what each part of the cycle knows about one person.

A small registry like `whats_next`: each app registers providers with `@register` in a module
named `person_page` (discovered when the web app is ready). A provider takes the reader and
the person and returns a `Section` (or None when it has nothing the reader may see). It asks
its own app's selectors, so the hub never shows what the reader could not open on that app's
pages. Providers run a fixed number of queries and show a bounded number of rows, each
section with a link to the full list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from perfmgmt.registry import Registry
from perfmgmt.tenancy.models import Membership

# How many rows a section shows; its link leads to the rest.
SECTION_ROWS = 5


@dataclass(frozen=True)
class Row:
    title: str
    url: str = ""
    detail: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    rows: Sequence[Row] = field(default_factory=tuple)
    total: int = 0
    more_url: str = ""
    more_label: str = ""
    empty: str = ""
    order: int = 50
    # Something the reader may do about the person here ("Propose a reward").
    action_url: str = ""
    action_label: str = ""


def bounded_section(
    *,
    key: str,
    title: str,
    rows: QuerySet[Any],
    row: Callable[[Any], Row],
    empty: str,
    order: int,
) -> Section:
    """A section of the first `SECTION_ROWS` of `rows` (ordered by the caller) and their
    count: two queries, whatever the number of rows."""
    return Section(
        key=key,
        title=title,
        rows=[row(item) for item in rows[:SECTION_ROWS]],
        total=rows.count(),
        empty=empty,
        order=order,
    )


Provider = Callable[[Membership, Membership], Section | None]
_providers: Registry[Provider] = Registry()


def register(provider: Provider) -> Provider:
    """Add a provider (usable as a decorator). Registering the same one twice is a no-op."""
    return _providers.add(provider)


restored_after = _providers.restored_after


def sections_for(*, reader: Membership, person: Membership) -> list[Section]:
    """Every provider's section about `person` as `reader` may see it, in their order."""
    sections = [section for provider in _providers if (section := provider(reader, person))]
    return sorted(sections, key=lambda section: (section.order, section.key))
