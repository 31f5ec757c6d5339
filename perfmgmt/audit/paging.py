"""Keyset pages of the audit trail, newest first, for the page, the API and the export.

The order is (created_at, id) descending: entries recorded in the same microsecond are
still in one fixed order, so no entry is repeated or skipped between pages. A page asks for
one row more than it shows to know whether another page follows; nothing counts the table.
The cursor is the last entry's (created_at, id), base64-encoded; one this module could not
have written is refused with `InvalidCursor`.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import QuerySet

from perfmgmt.web.keyset import after_key

from .models import AuditEntry

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
ORDER = ("-created_at", "-id")


class InvalidCursor(ValueError):
    pass


@dataclass(frozen=True)
class Position:
    created_at: datetime
    entry_id: int

    def encode(self) -> str:
        text = f"{self.created_at.astimezone(UTC).isoformat()}|{self.entry_id}"
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, cursor: str) -> Position:
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            moment, entry_id = base64.urlsafe_b64decode(padded).decode().split("|")
            created_at = datetime.fromisoformat(moment)
            number = int(entry_id)
        except (binascii.Error, UnicodeDecodeError, ValueError) as error:
            raise InvalidCursor(cursor) from error
        if created_at.tzinfo is None or not 0 < number < 2**63:
            raise InvalidCursor(cursor)
        return cls(created_at, number)


@dataclass(frozen=True)
class Page:
    entries: list[AuditEntry]
    next: Position | None


def after(entries: QuerySet[AuditEntry], position: Position | None) -> QuerySet[AuditEntry]:
    """The entries older than `position`, newest first (the keyset rule every large list
    shares, `perfmgmt.web.keyset.after_key`)."""
    if position is None:
        return entries.order_by(*ORDER)
    return after_key(entries, order=ORDER, key=(position.created_at, position.entry_id))


def keyset_page(
    entries: QuerySet[AuditEntry], *, position: Position | None, size: int = DEFAULT_PAGE_SIZE
) -> Page:
    size = max(1, min(size, MAX_PAGE_SIZE))
    rows = list(after(entries, position)[: size + 1])
    shown = rows[:size]
    following = Position(shown[-1].created_at, shown[-1].pk) if len(rows) > size else None
    return Page(shown, following)
