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

from django.db.models import BooleanField, F, Func, Q, QuerySet, Subquery, Value, Window
from django.db.models.expressions import RawSQL
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
    """A page of siblings: `branches` from `offset`; `more` when siblings follow. `total`
    is known under a parent (its child count); at the top it is not counted (a count of
    every top item would read a whole level)."""

    branches: list[Branch[Item]] = field(default_factory=list)
    total: int | None = None
    offset: int = 0
    more: bool = False

    @property
    def shown_until(self) -> int:
        return self.offset + len(self.branches)

    @property
    def remaining(self) -> int | None:
        return None if self.total is None else max(self.total - self.shown_until, 0)

    @property
    def next_start(self) -> int | None:
        """Where the "more" link starts (a first page may show fewer than a page)."""
        return self.shown_until if self.more else None


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


def among(queryset: QuerySet[Any], ids: Sequence[int], field: str = "id") -> QuerySet[Any]:
    """The rows of `queryset` whose `field` is one of `ids` (a bounded list, at most a page):
    `= ANY(%s)` with one array parameter, so the statement is the same size for one id or
    fifty, and it is a plain condition on the table (an index scan), which the planner
    applies before the joins however many there are."""
    column = f'"{queryset.model._meta.db_table}"."{field}"'
    condition = RawSQL(f"{column} = ANY(%s)", [list(ids)], output_field=BooleanField())  # noqa: S611 (constant SQL)
    return queryset.filter(condition)


def tree_level(
    *,
    nodes: QuerySet[Any],
    child_count: Any,
    top: Q,
    parent_field: str,
    order: Sequence[Any],
    start: int = 0,
    nested: bool = True,
    total: int | None = None,
) -> Level[Any]:
    """A page of the `nodes` matching `top`, each annotated with its `child_count` (an
    expression, `count_of(...)`), and with `nested` the first children of each.

    Which rows make a page is read first, as ids alone (a window keeps the first few
    children of each parent), and the rows with their joins and counts are then read by
    those ids: so the counts and joins run for the rows shown only, never for a whole level,
    and every statement is the same whatever the size of the tree (the ids travel as one
    array parameter, at most a page of them)."""
    ordered = nodes.order_by(*order)
    tops = ordered.filter(top)
    found = list(tops.values_list("pk", flat=True)[start : start + PAGE_SIZE + 1])
    page = found[:PAGE_SIZE]
    rows = list(among(ordered, page).annotate(child_count=child_count))
    more = len(found) > PAGE_SIZE
    level = Level([Branch(row, row.child_count) for row in rows], total, start, more)
    if not nested or not rows:
        return level
    limit = nested_limit(len(rows))
    first_children = list(
        among(ordered, page, field=parent_field)
        .annotate(position=Window(RowNumber(), partition_by=F(parent_field), order_by=order))
        .filter(position__lte=limit)
        .values_list("pk", flat=True)
    )
    children = among(ordered, first_children).annotate(child_count=child_count)
    by_parent: dict[int, list[Branch[Any]]] = {}
    for child in children:
        by_parent.setdefault(getattr(child, parent_field), []).append(
            Branch(child, child.child_count)
        )
    for branch in level.branches:
        kids = by_parent.get(branch.item.pk, [])
        branch.children = Level(kids, branch.child_count, 0, len(kids) < branch.child_count)
    return level


def children_level(
    *,
    nodes: QuerySet[Any],
    child_count: Any,
    parent: Any,
    parent_field: str,
    order: Sequence[Any],
    start: int,
) -> Level[Any]:
    """One page of a parent's children, collapsed (what opening a branch loads); the
    parent comes annotated with its `child_count`."""
    return tree_level(
        nodes=nodes,
        child_count=child_count,
        top=Q(**{parent_field: parent.pk}),
        parent_field=parent_field,
        order=order,
        start=start,
        nested=False,
        total=parent.child_count,
    )
