"""Keyset pages for lists that can hold thousands of rows: "Next" and "Previous", no count.

A list is ordered by a key of non-null columns that ends with the primary key (so rows
sharing the other columns still have one fixed order and no row is repeated or skipped
between pages), served by an index that starts with `organization`. A page asks for one row
more than it shows to know whether another page follows in that direction; nothing counts
the list (a count is another pass over every visible row).

The position after (or before) a row is the row's key. In a link it travels as a cursor
(`django.core.signing`: URL-safe base64 of the key, signed with the project's secret and a
salt naming the list), so it is opaque and cannot be edited or carried to another list: one
this module did not write is `InvalidCursor`, which a page answers with a 400 ("this page
link is broken"), never a 500. The audit trail's own cursor (`perfmgmt/audit/paging.py`)
keeps its format for the API and reads its rows through `after_key` here.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

Row = TypeVar("Row")
CURSOR_PARAMETER = "cursor"
FORWARD, BACKWARD = "n", "p"


class InvalidCursor(ValueError):
    """A cursor this module did not write (edited, truncated, of another list)."""


def _column(field: str) -> tuple[str, bool]:
    """("-created_at") -> ("created_at", descending)."""
    return field.lstrip("-"), field.startswith("-")


def after_key(rows: QuerySet[Any], *, order: Sequence[str], key: Sequence[Any]) -> QuerySet[Any]:
    """The rows that come after `key` in `order` (`-` for descending), in that order.

    The first condition is the index's range on the leading column; the disjunction breaks
    ties column by column down to the primary key."""
    columns = [_column(field) for field in order]
    first, descending = columns[0]
    rows = rows.filter(**{f"{first}__{'lte' if descending else 'gte'}": key[0]})
    following = Q()
    for position, (column, descending) in enumerate(columns):
        step = Q(**{f"{column}__{'lt' if descending else 'gt'}": key[position]})
        for earlier in range(position):
            step &= Q(**{columns[earlier][0]: key[earlier]})
        following |= step
    return rows.filter(following).order_by(*order)


def _reversed(order: Sequence[str]) -> list[str]:
    return [field[1:] if field.startswith("-") else f"-{field}" for field in order]


@dataclass
class KeysetPage(Generic[Row]):
    """One page of rows and the query strings of the pages beside it ("" when none)."""

    object_list: list[Row]
    next_query: str = ""
    previous_query: str = ""
    first_query: str = ""

    @property
    def has_other_pages(self) -> bool:
        return bool(self.next_query or self.previous_query)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


class Keyset:
    """How one list pages: its order (ending with the primary key) and its cursor's salt."""

    def __init__(self, *, name: str, order: Sequence[str]) -> None:
        if _column(order[-1])[0] not in ("id", "pk"):
            raise ValueError("A keyset order ends with the primary key.")
        self.order = list(order)
        self.salt = f"perfmgmt.keyset.{name}"

    def encode(self, direction: str, row: Any) -> str:
        key = [_value(row, _column(field)[0]) for field in self.order]
        return signing.dumps([direction, [_plain(value) for value in key]], salt=self.salt)

    def decode(self, rows: QuerySet[Any], cursor: str) -> tuple[str, list[Any]]:
        """The direction and the key a cursor holds, each value as its column takes it."""
        try:
            direction, key = signing.loads(cursor, salt=self.salt)
            if direction not in (FORWARD, BACKWARD) or len(key) != len(self.order):
                raise InvalidCursor(cursor)
            fields = [_field(rows, _column(f)[0]) for f in self.order]
            values = [field.to_python(value) for field, value in zip(fields, key, strict=True)]
            return direction, values
        except (signing.BadSignature, ValueError, TypeError, ValidationError) as error:
            raise InvalidCursor(cursor) from error

    def page(
        self, rows: QuerySet[Any] | Sequence[QuerySet[Any]], *, request: HttpRequest, size: int
    ) -> KeysetPage[Any]:
        """The page the request's cursor names (the first without one). Other query
        parameters (filters) stay in the links; an old `page` number is dropped. Raises
        `InvalidCursor`.

        `rows` may be several lists of one model with the same columns (each walking its
        own index): each is cut to the page after the key, and one statement merges them
        (UNION ALL of the cut lists, ordered and cut again)."""
        parameter = CURSOR_PARAMETER
        cursor = request.GET.get(parameter, "")
        lists = [rows] if isinstance(rows, QuerySet) else list(rows)
        direction, key = self.decode(lists[0], cursor) if cursor else (FORWARD, None)
        order = self.order if direction == FORWARD else _reversed(self.order)
        chosen = [
            (after_key(listed, order=order, key=key) if key else listed.order_by(*order))[
                : size + 1
            ]
            for listed in lists
        ]
        merged = chosen[0] if len(chosen) == 1 else _merged(chosen, order)
        fetched = list(merged[: size + 1])
        shown, more = fetched[:size], len(fetched) > size
        if direction == BACKWARD:
            shown.reverse()
        has_next = more if direction == FORWARD else True
        has_previous = key is not None and (more if direction == BACKWARD else True)
        query = _query_without(request.GET, parameter, "page")
        return KeysetPage(
            object_list=shown,
            next_query=_with(query, parameter, self.encode(FORWARD, shown[-1]))
            if shown and has_next
            else "",
            previous_query=_with(query, parameter, self.encode(BACKWARD, shown[0]))
            if shown and has_previous
            else "",
            first_query=query.urlencode() if key is not None else "",
        )


def _merged(lists: Sequence[QuerySet[Any]], order: Sequence[str]) -> QuerySet[Any]:
    first, *others = lists
    # The union's rows are built like the first list's; lookups to prefetch stay with it.
    return first.union(*others, all=True).order_by(*order)


def _field(rows: QuerySet[Any], name: str) -> Any:
    """The model field, or the annotation, a key column is read as."""
    annotation = rows.query.annotations.get(name)
    if annotation is not None:
        return annotation.output_field
    return rows.model._meta.get_field(name)


def _plain(value: Any) -> Any:
    """A key value as JSON takes it, exactly: DjangoJSONEncoder would cut datetimes to
    milliseconds, and a cursor that loses precision skips rows."""
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    return value


def _value(row: Any, column: str) -> Any:
    return row[column] if isinstance(row, dict) else getattr(row, column)


def _query_without(query: QueryDict, *names: str) -> QueryDict:
    kept = query.copy()
    for name in names:
        kept.pop(name, None)
    return kept


def _with(query: QueryDict, parameter: str, cursor: str) -> str:
    linked = query.copy()
    linked[parameter] = cursor
    return linked.urlencode()


def broken_page_link(request: HttpRequest) -> HttpResponse:
    """The answer to a cursor this module did not write: a 400 page with a link to the
    list's first page (its filters kept)."""
    query = _query_without(request.GET, CURSOR_PARAMETER, "page")
    context = {"first_query": query.urlencode()}
    return render(request, "web/page_link_broken.html", context, status=400)
