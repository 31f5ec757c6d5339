"""The audit log as a spreadsheet (CSV or XLSX), through perfmgmt/exports.py.

Rows are read in keyset pages of `CHUNK` entries, so memory and every statement stay the
same size whatever the log holds. The export itself is recorded (`audit.exported`) before
the first row is read, with the filters it was made with.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponseBase
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from perfmgmt.exports import csv_response, xlsx_response
from perfmgmt.localization import format_moment
from perfmgmt.tenancy.models import Membership

from . import actions
from .models import AuditEntry
from .paging import keyset_page
from .presenting import target_text
from .services import audit_record

CHUNK = 500
FORMATS = ("csv", "xlsx")


def header() -> list[object]:
    return [
        _("When"),
        _("When (UTC)"),
        _("Who"),
        _("What"),
        _("Action"),
        _("About"),
        _("Kind"),
        _("Id"),
        _("Changes"),
    ]


def _row(entry: AuditEntry) -> list[object]:
    return [
        format_moment(entry.created_at),
        entry.created_at.isoformat(),
        entry.actor_label,
        actions.action_label(entry.action),
        entry.action,
        target_text(entry),
        entry.target_type,
        entry.target_id,
        json.dumps(entry.changes, ensure_ascii=False, sort_keys=True, default=str),
    ]


def export_rows(entries: QuerySet[AuditEntry]) -> Iterator[list[object]]:
    yield header()
    position = None
    while True:
        page = keyset_page(entries, position=position, size=CHUNK)
        for entry in page.entries:
            yield _row(entry)
        if page.next is None:
            return
        position = page.next


def _in_reader_locale(rows: Iterator[list[object]]) -> Iterator[list[object]]:
    """A CSV is streamed after the view returned, when the reader's language and time zone
    are no longer active: the rows are made in the ones active now."""
    language, zone = translation.get_language(), timezone.get_current_timezone()

    def made() -> Iterator[list[object]]:
        with translation.override(language), timezone.override(zone):
            yield from rows

    return made()


def audit_export(
    *, actor: Membership, entries: QuerySet[AuditEntry], file_format: str, filters: dict[str, Any]
) -> HttpResponseBase:
    """The entries as a download, the export recorded first."""
    organization = actor.organization
    audit_record(
        actor=actor,
        action="audit.exported",
        target=organization,
        changes={"format": file_format, "filters": filters},
    )
    rows = _in_reader_locale(export_rows(entries))
    if file_format == "xlsx":
        return xlsx_response(
            rows, organization=organization, title=_("Audit log"), filename="audit-log.xlsx"
        )
    return csv_response(rows, organization=organization, filename="audit-log.csv")
