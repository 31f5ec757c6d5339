"""Reading exported files back in tests: CSV rows, and XLSX rows through the file's XML
(openpyxl is not a dependency; an XLSX is a ZIP of XML parts)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from xml.etree import ElementTree

from django.db import connection
from django.test.utils import CaptureQueriesContext

from perfmgmt.audit.models import AuditEntry
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Organization

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")  # how OOXML writes a control character

# A cell per starting character a spreadsheet would run as a formula.
FORMULA_TEXTS = ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx")


def content(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def csv_rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200, content(response)[:500]
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(content(response).decode())))


def xlsx_rows(response: Any) -> list[list[str]]:
    """The rows of the first sheet of an XLSX answer, every cell as text."""
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    with zipfile.ZipFile(io.BytesIO(content(response))) as book:
        assert "[Content_Types].xml" in book.namelist()
        shared = _shared_strings(book)
        sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))  # noqa: S314 (our own file)
    rows = []
    for row in sheet.iter(f"{_MAIN}row"):
        cells = {_column_of(cell.get("r", "")): _cell_text(cell, shared) for cell in row}
        rows.append([cells.get(index, "") for index in range(max(cells, default=-1) + 1)])
    width = max((len(row) for row in rows), default=0)
    return [row + [""] * (width - len(row)) for row in rows]


def _column_of(reference: str) -> int:
    """A1 -> 0, C7 -> 2, AA1 -> 26."""
    number = 0
    for letter in reference.rstrip("0123456789"):
        number = number * 26 + ord(letter.upper()) - 64
    return number - 1


def _shared_strings(book: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in book.namelist():
        return []
    table = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))  # noqa: S314 (our own file)
    return ["".join(t.text or "" for t in item.iter(f"{_MAIN}t")) for item in table]


def _cell_text(cell: ElementTree.Element, shared: list[str]) -> str:
    if cell.get("t") == "s":
        value = cell.find(f"{_MAIN}v")
        return shared[int(value.text or 0)] if value is not None else ""
    text = "".join(t.text or "" for t in cell.iter(f"{_MAIN}t"))
    return _ESCAPED.sub(lambda match: chr(int(match.group(1), 16)), text)


def column(rows: list[list[str]], name: str) -> list[str]:
    index = rows[0].index(name)
    return [row[index] for row in rows[1:]]


def audit_entries(organization: Organization, action: str) -> list[AuditEntry]:
    with organization_scope(organization):
        return list(AuditEntry.objects.filter(action=action).order_by("pk"))


@contextmanager
def counted() -> Iterator[CaptureQueriesContext]:
    with CaptureQueriesContext(connection) as queries:
        yield queries
