"""Bounded trees: what the org chart and the goal tree share so neither page ever holds
the whole organization.

A tree page shows one page of top items (people or goals) and, under each, the first of
their children; everything deeper is collapsed and loaded on demand (htmx), one page of
children at a time, with a "more" link when a level is wide. How many children appear
under each top item depends on how many top items share the page, so the page stays about
the same size however wide or deep the organization is: at most `PAGE_SIZE` top items and
about `NESTED_BUDGET` children in all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db.models import F, Func, Q, QuerySet, Subquery, Value, Window
from django.db.models.functions import Coalesce, RowNumber

PAGE_SIZE = 50
NESTED_BUDGET = 250
NESTED_MINIMUM = 5
SEARCH_LIMIT = 20
MAX_START = 10_000_000

Item = TypeVar("Item")


@dataclass
class Branch(Generic[Item]):
    """One item of a tree with how many children it has; `children` is None while they are
    not loaded (collapsed, fetched when opened)."""

    item: Item
    child_count: int
    children: Level[Item] | None = None


@dataclass
class Level(Generic[Item]):
    """A page of siblings: `branches` from `offset`, out of `total`."""

    branches: list[Branch[Item]] = field(default_factory=list)
    total: int = 0
    offset: int = 0

    @property
    def shown_until(self) -> int:
        return self.offset + len(self.branches)

    @property
    def remaining(self) -> int:
        return max(self.total - self.shown_until, 0)

    @property
    def next_start(self) -> int | None:
        """Where the "more" link starts (a first page may show fewer than a page)."""
        return self.shown_until if self.remaining else None


def start_of(raw: Any) -> int:
    """`?start=` as the position of the first sibling to show: junk is 0, and a huge
    number is capped (it shows an empty page, never an error)."""
    try:
        number = int(str(raw))
    except (TypeError, ValueError):
        return 0
    return min(max(number, 0), MAX_START)


def nested_limit(top_items: int) -> int:
    """Children shown under each of `top_items` top items on a first page."""
    if top_items <= 0:
        return 0
    return min(PAGE_SIZE, max(NESTED_MINIMUM, NESTED_BUDGET // top_items))


def count_of(queryset: QuerySet[Any]) -> Any:
    """A correlated COUNT(*) of `queryset` as an annotation (0 when empty): one statement
    for a page of rows, each row counting its own children."""
    counted = queryset.order_by().annotate(one=Value(1)).values("one")
    return Coalesce(
        Subquery(counted.annotate(total=Func(F("one"), function="COUNT")).values("total")), 0
    )


def tree_level(
    *,
    nodes: QuerySet[Any],
    top: Q,
    parent_field: str,
    order: Sequence[Any],
    start: int = 0,
    nested: bool = True,
) -> Level[Any]:
    """A page of the `nodes` matching `top` (each annotated with its `child_count`), and
    with `nested` the first children of each in one more statement: the window keeps the
    first few of each parent, and the parents come as a subquery (never a list of ids), so
    every statement is the same whatever the size of the tree."""
    ordered = nodes.order_by(*order)
    tops = ordered.filter(top)
    rows = list(tops[start : start + PAGE_SIZE])
    level = Level([Branch(row, row.child_count) for row in rows], tops.count(), start)
    if not nested or not rows:
        return level
    limit = nested_limit(len(rows))
    parents = tops.values("pk")[start : start + PAGE_SIZE]
    children = (
        ordered.filter(**{f"{parent_field}__in": parents})
        .annotate(position=Window(RowNumber(), partition_by=F(parent_field), order_by=order))
        .filter(position__lte=limit)
    )
    by_parent: dict[int, list[Branch[Any]]] = {}
    for child in children:
        by_parent.setdefault(getattr(child, parent_field), []).append(
            Branch(child, child.child_count)
        )
    for branch in level.branches:
        kids = by_parent.get(branch.item.pk, [])
        branch.children = Level(kids, branch.child_count, 0)
    return level


def children_level(
    *, nodes: QuerySet[Any], parent: Any, parent_field: str, order: Sequence[Any], start: int
) -> Level[Any]:
    """One page of a parent's children, collapsed (what opening a branch loads)."""
    return tree_level(
        nodes=nodes,
        top=Q(**{parent_field: parent.pk}),
        parent_field=parent_field,
        order=order,
        start=start,
        nested=False,
    )
