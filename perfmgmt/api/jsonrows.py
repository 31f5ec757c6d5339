"""List pages written out by PostgreSQL, exactly as their serializer answers each row.

A list endpoint reads a page in two statements. The first is the selector's: which rows the
reader may read, narrowed by the query and paged as every list is paged, and for each row
what the rules decided about its guarded parts (`carried`: a goal's `reward_visible`, a
person's `details_visible`; `pooled`: a check-in's readable goal ids). It reads no other
column, so it is cheap to build. The second is constant per list and per process
(`JsonRows.statement`): the page's ids, in the page's order, joined to their table and
written out by `json_agg` of one record a row as the JSON text the serializer would
answer. A page of 100 rows then costs no Python per row or per field: no row is loaded,
converted, presented or encoded in Python (`perfmgmt.api.renderers.JSONRenderer` embeds
the text as it is).

What a field is comes from the serializer, so a field added to it is named once: a column
of the list's model (the field's `source`) is written as DRF writes its value (ints,
strings, booleans and string choices as they are; ISO dates; ISO date-times with "Z";
decimals already at the field's scale as text). Any other field (a name through a join, a
nested list, a derived value, a guarded one) is given as SQL in `sql`, over the row `t`,
the tables of `joins` and the carried values `page.<name>`; a field neither a plain column
nor given raises when the statement is first built. The serializer stays what the OpenAPI
description is built from; tests compare every list's rows with the detail answers.

Date-times come out in UTC. A reader in another zone gets them in their zone as DRF
answers them, converted by Python's time-zone database as on every other page (not by
PostgreSQL's, which may be of another release): the text is parsed, each date-time
converted and the rows written again with orjson (0.8 ms more for a page of 100 goals
on a quiet machine; doing it in SQL instead measured the same: bench/README.md).

    GOAL_JSON = JsonRows(
        GoalSerializer,
        model=Goal,
        joins="LEFT JOIN tenancy_team tm ON tm.id = t.owner_team_id",
        sql={"reward_text": "CASE WHEN page.reward_visible THEN t.reward_text ELSE '' END"},
        carried={"reward_visible": "boolean"},
    )
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, tzinfo
from functools import cached_property
from typing import Any

import orjson
import psycopg
from django.db import connection
from django.db.models import Model
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from .renderers import Written

Row = Mapping[str, Any]

# Fields whose DRF representation of a database value of their own type is the value.
_IDENTITY = (
    serializers.IntegerField.to_representation,
    serializers.CharField.to_representation,
    serializers.BooleanField.to_representation,
)


def _utc_iso_sql(column: str) -> str:
    """SQL for DRF's text of a timestamptz `column` in UTC: ISO 8601, microseconds only when
    there are some (as Python's `isoformat`), "Z" for the zone; one `to_char` a value.
    Written for a statement with parameters (the `%` is doubled)."""
    local = f"({column} AT TIME ZONE 'UTC')"
    return (
        f"CASE WHEN date_part('microseconds', {local})::int %% 1000000 = 0 "
        f'THEN to_char({local}, \'YYYY-MM-DD"T"HH24:MI:SS"Z"\') '
        f'ELSE to_char({local}, \'YYYY-MM-DD"T"HH24:MI:SS.US"Z"\') END'
    )


class JsonRows:
    """A list page written by PostgreSQL as `serializer_class` answers its rows (see the
    module's docstring)."""

    def __init__(
        self,
        serializer_class: type[serializers.Serializer[Any]],
        *,
        model: type[Model],
        joins: str = "",
        sql: Mapping[str, str] | None = None,
        carried: Mapping[str, str] | None = None,
        pooled: Iterable[str] = (),
        omitted: Mapping[str, Iterable[str]] | None = None,
        also: Iterable[str] = (),
        parameters: Callable[[], Mapping[str, Any]] | None = None,
    ) -> None:
        self.serializer_class = serializer_class
        self.model = model
        self.joins = joins
        self.sql = dict(sql or {})
        # Columns of the list's rows handed to the statement row by row (name: SQL type),
        # and lists of ids pooled into one array parameter named after the column.
        self.carried = dict(carried or {})
        self.pooled = tuple(pooled)
        # A carried flag: the fields left out of a row where it is false.
        self.omitted = {flag: tuple(names) for flag, names in (omitted or {}).items()}
        # Further columns the list's rows must have (what a read audit is told).
        self.also = tuple(also)
        self.parameters = parameters

    @property
    def columns(self) -> tuple[str, ...]:
        """What the list's queryset selects (`OrgViewSet.page` passes them to `.values()`)."""
        return tuple(dict.fromkeys(["id", *self.carried, *self.pooled, *self.also]))

    @cached_property
    def statement(self) -> str:
        """The one statement that writes a page (built when first asked for)."""
        return self._compose(self._fields)

    @cached_property
    def _datetimes(self) -> tuple[str, ...]:
        """The fields PostgreSQL writes as date-times in UTC."""
        return tuple(
            name
            for name, field, _sql in self._fields
            if isinstance(field, serializers.DateTimeField) and name not in self.sql
        )

    def text(self, rows: list[Row], *, organization: Any) -> str:
        """The page's rows (what `columns` read, in the page's order) as a JSON array."""
        if not rows:
            return "[]"
        parameters: dict[str, Any] = {
            "ids": [row["id"] for row in rows],
            "organization": organization.pk,
            **(self.parameters() if self.parameters else {}),
        }
        for name in self.carried:
            parameters[name] = [row[name] for row in rows]
        for name in self.pooled:
            parameters[name] = sorted({value for row in rows for value in row[name] or ()})
        with _prepared() as cursor:
            cursor.execute(self.statement, parameters)
            (text,) = cursor.fetchone()
        return str(text)

    def results(self, rows: list[Row], *, organization: Any, embed: bool) -> Any:
        """The page's `results`: as text to embed (`Written`, for `renderers.JSONRenderer`)
        when `embed`, else as data; date-times in the reader's zone."""
        text = self.text(rows, organization=organization)
        zone = timezone.get_current_timezone()
        if _is_utc(zone):
            return Written(text) if embed else orjson.loads(text)
        items = orjson.loads(text)
        self._in_zone(items, zone)
        return Written(orjson.dumps(items).decode()) if embed else items

    def _in_zone(self, items: list[dict[str, Any]], zone: tzinfo) -> None:
        """PostgreSQL's UTC text of each date-time as DRF writes it in `zone`."""
        for item in items:
            for name in self._datetimes:
                value = item.get(name)
                if value is not None:
                    text = datetime.fromisoformat(value).astimezone(zone).isoformat()
                    item[name] = text[:-6] + "Z" if text.endswith("+00:00") else text

    @cached_property
    def _fields(self) -> list[tuple[str, Any, str]]:
        fields = [
            (name, field, self.sql.get(name) or self._column_sql(name, field))
            for name, field in self.serializer_class().fields.items()
            if not field.write_only
        ]
        unknown = set(self.sql) - {name for name, _field, _sql in fields}
        if unknown:
            raise TypeError(f"{self.serializer_class.__name__} has no field {sorted(unknown)}")
        return fields

    def _column_sql(self, name: str, field: Any) -> str:
        """A plain column's value as DRF writes it; a field that is not one raises."""
        source = field.source or name
        model_field = _model_field(self.model, source)
        if model_field is None:
            raise TypeError(
                f"{self.serializer_class.__name__}.{name} is not a column of "
                f"{self.model.__name__}: give it in `sql`."
            )
        column = f't."{model_field.column}"'
        method = type(field).to_representation
        if method in _IDENTITY or _is_string_choice(field):
            return column
        if method is serializers.DateField.to_representation and _is_iso(field, "DATE_FORMAT"):
            return column  # PostgreSQL writes a date in JSON as ISO 8601
        if (
            method is serializers.DateTimeField.to_representation
            and _is_iso(field, "DATETIME_FORMAT")
            and not hasattr(field, "timezone")
        ):
            return _utc_iso_sql(column)
        if (
            method is serializers.DecimalField.to_representation
            and _is_plain_decimal(field)
            and getattr(model_field, "decimal_places", None) == field.decimal_places
        ):
            return f"{column}::text"  # numeric(p, s) is stored at the field's scale
        raise TypeError(
            f"{self.serializer_class.__name__}.{name}: no SQL for a {type(field).__name__} "
            "of this kind; give it in `sql`."
        )

    def _compose(self, fields: list[tuple[str, Any, str]]) -> str:
        def build(left_out: tuple[str, ...] = ()) -> str:
            # A record of named columns: json_agg writes it compact, in this order
            # (json_build_object would put spaces around every colon).
            columns = ", ".join(
                f'{sql} AS "{name}"' for name, _f, sql in fields if name not in left_out
            )
            return f"(SELECT r FROM (SELECT {columns}) AS r)"  # noqa: S608 (the list's own SQL)

        row = build()
        if len(self.omitted) > 1:
            raise TypeError("JsonRows leaves fields out by one flag at most")
        for flag, left_out in self.omitted.items():
            row = f"CASE WHEN page.{flag} THEN {row} ELSE {build(left_out)} END"
        arrays = ", ".join(
            ["%(ids)s::bigint[]", *(f"%({name})s::{kind}[]" for name, kind in self.carried.items())]
        )
        columns = ", ".join(["id", *self.carried, "n"])
        table = self.model._meta.db_table
        return (
            f"SELECT COALESCE(json_agg({row} ORDER BY page.n), '[]')::text "  # noqa: S608
            f"FROM unnest({arrays}) WITH ORDINALITY AS page({columns}) "
            f'JOIN "{table}" t ON t.id = page.id {self.joins} '
            "WHERE t.organization_id = %(organization)s"
        )


@contextmanager
def _prepared() -> Iterator[Any]:
    """A cursor of the connection that sends the parameters apart from the statement (the
    project's other cursors bind on the client, Django's default), so psycopg prepares a
    statement it runs a few times on a connection (`prepare_threshold`, set by
    `DATABASE_PREPARE` in the settings). The statement is the same text on every page: it
    is planned once per connection instead of once per page (planning its joins took
    longer than running them: 2-5 ms against 1-2 ms for 100 rows). Wrapped as Django wraps
    its own cursors: logged where queries are logged, errors mapped."""
    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = psycopg.Cursor(connection.connection)
    with connection._prepare_cursor(raw) as cursor:  # type: ignore[attr-defined]
        yield cursor


def ordering_sql(model: type[Model], alias: str) -> str:
    """`model`'s default order (`Meta.ordering`) as an ORDER BY list over the table `alias`,
    for a nested list written in SQL in the order the model's querysets give it."""
    terms = []
    for name in model._meta.ordering or ():
        source = name.lstrip("-") if isinstance(name, str) else ""
        field = model._meta.pk if source == "pk" else _model_field(model, source)
        if field is None:
            raise TypeError(f"{model.__name__}.Meta.ordering: {name!r} is not a plain column")
        descending = isinstance(name, str) and name.startswith("-")
        terms.append(f'{alias}."{field.column}"' + (" DESC" if descending else ""))
    if not terms:
        raise TypeError(f"{model.__name__} has no default order")
    return ", ".join(terms)


def _model_field(model: type[Model], source: str) -> Any:
    """The concrete field of `model` a serializer field's `source` names (by name or by
    column attribute, "owner_person_id"), or None ("owner.name", a property)."""
    for field in model._meta.concrete_fields:
        if source in (field.name, field.attname):
            return field
    return None


def _is_utc(zone: Any) -> bool:
    return zone is UTC or getattr(zone, "key", None) == "UTC"


def _is_string_choice(field: Any) -> bool:
    # DRF answers a string choice as the string itself.
    return type(field).to_representation is serializers.ChoiceField.to_representation and all(
        isinstance(choice, str) for choice in field.choices
    )


def _is_iso(field: Any, setting: str) -> bool:
    output_format = getattr(field, "format", getattr(api_settings, setting))
    return isinstance(output_format, str) and output_format.lower() == ISO_8601


def _is_plain_decimal(field: Any) -> bool:
    coerce = getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
    return (
        bool(coerce)
        and not field.localize
        and not field.normalize_output
        and field.decimal_places is not None
    )
