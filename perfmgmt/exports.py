"""Spreadsheet exports, one way for every app: streamed CSV and XLSX with formula escaping,
and the list of exports each app offers (the Exports page and the API read it).

A cell a person typed can start like a formula (``=HYPERLINK(...)``); a spreadsheet would
run it. Every cell written here is escaped: one that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return gets a leading ``'`` and is shown as text. Rows are
produced lazily by the caller's selector; a streamed response reads them after the view
returned, so the organization's scope, its time zone and the reader's language are opened
again around the rows. Times in a file are in the organization's time zone.

An app offers an export from its own `exports` module (discovered at start-up, like
`navigation`): `register(Export(key=..., form=..., rows=..., visible=...))`. The form parses
and validates the filters (choices narrowed to what the reader may read); `rows` is the
app's reader of the rows, header first, built on the same selectors as its pages, so
visibility and anonymity are decided there and nowhere else. `export_answer` audits the
export ("export.<key>", with the filters and the format) and answers the file.
"""

from __future__ import annotations

import csv
import datetime
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

import xlsxwriter
from django import forms
from django.db import models
from django.db.models import Q
from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from perfmgmt.audit.services import audit_record
from perfmgmt.errors import DomainError, PermissionDeniedError
from perfmgmt.registry import Registry
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, Organization
from perfmgmt.tenancy.policies import Actor, person_of
from perfmgmt.tenancy.selectors import member_by_email, reports_below

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_FORMATS = ("csv", "xlsx")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")  # characters a sheet's name may not hold


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


@contextmanager
def _reading(organization: Organization, language: str | None) -> Iterator[None]:
    """The organization's scope and clocks, and the reader's language, around the rows."""
    zone = organization.zone
    with organization_scope(organization), timezone.override(zone), translation.override(language):
        yield


def as_csv(
    rows: Iterable[Iterable[object]], organization: Organization, language: str | None = None
) -> Iterator[str]:
    """CSV lines, escaped; read after the view returned, so the scope is opened here."""
    with _reading(organization, language):
        yield from csv_lines(rows)


def as_xlsx(rows: Iterable[Iterable[object]], *, title: str) -> IO[bytes]:
    """An XLSX file (a temporary file, rewound), every cell written as escaped text; the
    first row is the header, in bold. Written in constant memory."""
    output = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
    workbook = xlsxwriter.Workbook(output, {"constant_memory": True, "in_memory": False})
    sheet = workbook.add_worksheet(_SHEET_FORBIDDEN.sub("-", title)[:31] or "Export")
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
    lines = as_csv(rows, organization, translation.get_language())
    response = StreamingHttpResponse(lines, content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(
    rows: Iterable[Iterable[object]], *, organization: Organization, title: str, filename: str
) -> FileResponse:
    with _reading(organization, translation.get_language()):
        output = as_xlsx(rows, title=title)
    return FileResponse(output, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def chunked(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """`items` in lists of `size` (the last one shorter): a reader of rows loads what a
    chunk needs in a fixed number of queries per chunk."""
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- Whose rows, and the filters every export shares -----------------------------------------


def reading_line(actor: Actor, field: str) -> Q:
    """Whose rows an export holds, as a filter on the person `field`: HR and systems the
    organization's (their selectors decide the rest), anyone else their own and their
    reporting line's, in SQL (no list of ids travels into the statement)."""
    person = person_of(actor)
    if person is None or person.is_hr:
        return Q()
    return Q(**{field: person.pk}) | Q(**{f"{field}__in": reports_below(manager=person)})


def manages_anyone(actor: Actor) -> bool:
    """HR, or a person with someone reporting to them: coverage exports are for them."""
    person = person_of(actor)
    if person is None:
        return False
    return person.is_hr or Membership.objects.filter(manager=person).exists()


class PersonField(forms.EmailField):
    """One person of the reader's reach, by email (a page never lists the organization)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Person (email)"))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.actor: Actor | None = None

    def clean(self, value: Any) -> Membership | None:
        email = super().clean(value)
        if not email:
            return None
        found = member_by_email(email=email)
        reach = Membership.objects.filter(reading_line(self.actor, "pk")) if self.actor else None
        if found is None or reach is None or not reach.filter(pk=found.pk).exists():
            raise forms.ValidationError(_("Nobody you may export has this email."))
        return found


# --- The exports each app offers ------------------------------------------------------------


class ExportForm(forms.Form):
    """The filters of one export and the file format. Subclasses add filters; their
    choices are narrowed to what `actor` may read. `arguments()` is what the export's
    `rows` receives."""

    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=[("csv", "CSV"), ("xlsx", "XLSX")],
        required=False,
        initial="csv",
    )

    def __init__(self, data: Mapping[str, Any] | None = None, *, actor: Actor, **kwargs: Any):
        super().__init__(data, **kwargs)
        self.actor = actor
        for field in self.fields.values():
            if isinstance(field, PersonField):
                field.actor = actor

    def clean_file_format(self) -> str:
        return self.cleaned_data.get("file_format") or "csv"

    def arguments(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "file_format"}

    def audited(self) -> dict[str, Any]:
        """The filters as plain values, for the audit entry."""
        return {name: _plain(value) for name, value in self.arguments().items()}


def _plain(value: object) -> object:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.date | Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


def nobody(actor: Actor) -> bool:
    return False


@dataclass(frozen=True)
class Export:
    """One export an app offers. `rows(actor=..., **form.arguments())` gives the rows,
    header first; `visible(actor)` says who may run it (and see it on the Exports page)."""

    key: str
    label: str | Promise
    description: str | Promise
    form: type[ExportForm]
    rows: Callable[..., Iterable[Sequence[object]]]
    visible: Callable[[Actor], bool] = nobody
    order: int = 100

    @property
    def action(self) -> str:
        return f"export.{self.key}"


_exports: Registry[Export] = Registry()


def register(*exports: Export) -> None:
    """Offer these exports (idempotent)."""
    for export in exports:
        _exports.add(export)


def registered() -> list[Export]:
    return sorted(_exports, key=lambda export: (export.order, export.key))


def available_to(actor: Actor) -> list[Export]:
    """The exports this reader may run, in page order."""
    return [export for export in registered() if export.visible(actor)]


def export_named(key: str) -> Export | None:
    return next((export for export in _exports if export.key == key), None)


restored_after = _exports.restored_after


def export_form(export: Export, *, actor: Actor, data: Mapping[str, Any]) -> ExportForm:
    """The export's form, bound to `data`; refused (403) to a reader it is not for."""
    if not export.visible(actor):
        raise PermissionDeniedError(str(_("You have nothing to export here.")))
    return export.form(data, actor=actor)


def form_error(form: ExportForm) -> DomainError:
    """A form's errors as the API's 400 with field messages."""
    fields = {name: [str(message) for message in errors] for name, errors in form.errors.items()}
    return DomainError(str(_("Some filters are not valid.")), fields=fields)


def export_answer(
    export: Export, *, actor: Actor, form: ExportForm, organization: Organization
) -> HttpResponseBase:
    """Audit the export of a valid `form` and answer the file, streamed (CSV) or built in
    constant memory (XLSX)."""
    file_format = form.cleaned_data["file_format"]
    audit_record(
        actor=actor,
        action=export.action,
        target=organization,
        changes={"filters": form.audited(), "format": file_format},
    )
    rows = export.rows(actor=actor, **form.arguments())
    stamp = timezone.localdate(timezone.now(), organization.zone).isoformat()
    filename = f"{export.key}-{stamp}.{file_format}"
    if file_format == "xlsx":
        return xlsx_response(
            rows, organization=organization, title=str(export.label), filename=filename
        )
    return csv_response(rows, organization=organization, filename=filename)
