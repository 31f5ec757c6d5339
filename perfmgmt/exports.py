"""Spreadsheet exports, one way for every app: streamed CSV and XLSX with formula escaping.

A cell a person typed can start like a formula (``=HYPERLINK(...)``); a spreadsheet would
run it. Every cell written here is escaped: one that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return gets a leading ``'`` and is shown as text. Rows are
produced lazily by the caller's selector; a streamed response reads them after the view
returned, so the organization's scope is opened again around the rows.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

import xlsxwriter
from django.http import FileResponse, StreamingHttpResponse

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Organization

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def escape_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """CSV lines of `rows`, every cell escaped."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([escape_cell(cell) for cell in row])


def as_csv(rows: Iterable[Iterable[object]], organization: Organization) -> Iterator[str]:
    """CSV lines, escaped; read after the view returned, so the scope is opened here."""
    with organization_scope(organization):
        yield from csv_lines(rows)


def as_xlsx(rows: Iterable[Iterable[object]], *, title: str) -> IO[bytes]:
    """An XLSX file (a temporary file, rewound), every cell written as escaped text; the
    first row is the header, in bold. Written in constant memory."""
    output = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
    workbook = xlsxwriter.Workbook(output, {"constant_memory": True, "in_memory": False})
    sheet = workbook.add_worksheet(title[:31] or "Export")
    bold = workbook.add_format({"bold": True})
    for number, row in enumerate(rows):
        for column, cell in enumerate(row):
            sheet.write_string(number, column, escape_cell(cell), bold if number == 0 else None)
    workbook.close()
    output.seek(0)
    return output


def csv_response(
    rows: Iterable[Iterable[object]], *, organization: Organization, filename: str
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(as_csv(rows, organization), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(
    rows: Iterable[Iterable[object]], *, organization: Organization, title: str, filename: str
) -> FileResponse:
    with organization_scope(organization):
        output = as_xlsx(rows, title=title)
    return FileResponse(output, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
