"""The ZIP of one person's data: per registered model a JSON file and a CSV file.

Rows are what links to the person (`PersonalData.person_fields`, or the registration's own
`rows`), narrowed by the app's reader rule read as the person and as the requester: the
export never shows what either of them could not read on the app's pages. One query per
model (plus what a registration's `tables` need).
"""

from __future__ import annotations

import datetime
import decimal
import io
import json
import uuid
import zipfile
from collections.abc import Callable, Iterable
from typing import Any

from django.db import models

from perfmgmt.exports import csv_lines

from ..registry import ExportContext, PersonalData, Table, registrations


def registration_rows(entry: PersonalData, context: ExportContext) -> models.QuerySet[Any]:
    manager = entry.model._default_manager
    rows = (
        entry.rows(context) if entry.rows else manager.filter(entry.person_filter(context.person))
    )
    if entry.readable is not None:
        rows = rows.filter(entry.readable(context.person)).filter(entry.readable(context.requester))
    return rows.order_by("pk")


def registration_table(entry: PersonalData, context: ExportContext) -> Table:
    columns = entry.columns()
    values = registration_rows(entry, context).values_list(*columns).distinct()
    return Table(entry.label, columns, [tuple(row) for row in values])


def tables_of(context: ExportContext) -> Iterable[tuple[PersonalData, list[Table]]]:
    for entry in registrations():
        tables = [registration_table(entry, context)]
        if entry.tables is not None:
            tables.extend(entry.tables(context))
        yield entry, tables


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


def _cell(value: Any) -> Any:
    plain = _plain(value)
    return json.dumps(plain, ensure_ascii=False) if isinstance(plain, list | dict) else plain


def table_json(table: Table) -> str:
    rows = [dict(zip(table.columns, map(_plain, row), strict=True)) for row in table.rows]
    return json.dumps({"table": table.name, "rows": rows}, ensure_ascii=False, indent=2)


def table_csv(table: Table) -> str:
    lines = [table.columns, *([_cell(value) for value in row] for row in table.rows)]
    return "".join(csv_lines(lines))


def write_archive(
    context: ExportContext, *, progress: Callable[[int], None] = lambda done: None
) -> bytes:
    """The ZIP's bytes; `progress(n)` after the n-th registration."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, (_entry, tables) in enumerate(tables_of(context), start=1):
            for table in tables:
                archive.writestr(f"{table.name}.json", table_json(table))
                archive.writestr(f"{table.name}.csv", table_csv(table))
            progress(done)
    return buffer.getvalue()
