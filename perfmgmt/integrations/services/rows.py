"""One row of a people sync, read and checked on its own (no queries).

A key missing from a row leaves that field of an existing person as it is; a key present
and blank clears it. Email is required for a new person (it finds or creates their login);
for someone already synced it is not used: the login is shared between organizations, so no
organization changes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from perfmgmt.tenancy.models import MembershipStatus

MAX_TEXT = 200
COLUMNS = (
    "external_id",
    "email",
    "full_name",
    "first_name",
    "last_name",
    "job_title",
    "team",
    "manager_external_id",
    "start_date",
    "status",
)
STATUSES = (MembershipStatus.ACTIVE, MembershipStatus.ON_LEAVE, MembershipStatus.LEFT)
# Sentinel: the row does not say (the field of an existing person stays as it is).
ABSENT: Any = object()


@dataclass
class RowError:
    row: int
    external_id: str
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "external_id": self.external_id,
            "field": self.field,
            "message": self.message,
        }


@dataclass
class SyncRow:
    index: int
    external_id: str
    email: str = ""
    full_name: Any = ABSENT
    job_title: Any = ABSENT
    team: Any = ABSENT  # a team name, "" for none
    manager_external_id: Any = ABSENT  # "" for none
    start_date: Any = ABSENT
    status: Any = ABSENT
    errors: list[RowError] = field(default_factory=list)

    def refuse(self, field_name: str, message: str) -> None:
        self.errors.append(RowError(self.index, self.external_id, field_name, message))


def _text(row: SyncRow, raw: dict[str, Any], name: str) -> Any:
    value = raw.get(name, ABSENT)
    if value is ABSENT:
        return ABSENT
    if value.__class__ is str:  # the usual case, ten times a row: checked inline
        text = value.strip()
        if len(text) <= MAX_TEXT and "\x00" not in text:
            return text
    return _text_checked(row, name, value)


def _text_checked(row: SyncRow, name: str, value: Any) -> Any:
    if value is None:
        return ""
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        row.refuse(name, _("Expected text."))
        return ABSENT
    text = str(value).strip()
    if "\x00" in text:
        row.refuse(name, _("Null characters are not allowed."))
        return ABSENT
    if len(text) > MAX_TEXT:
        row.refuse(name, _("At most %(count)d characters.") % {"count": MAX_TEXT})
        return ABSENT
    return text


def _full_name(row: SyncRow, raw: dict[str, Any]) -> Any:
    full_name = _text(row, raw, "full_name")
    if full_name is not ABSENT and full_name:
        return full_name
    first, last = _text(row, raw, "first_name"), _text(row, raw, "last_name")
    if first is ABSENT and last is ABSENT:
        return full_name
    joined = " ".join(part for part in (first, last) if part and part is not ABSENT)
    if len(joined) > MAX_TEXT:
        row.refuse("last_name", _("At most %(count)d characters.") % {"count": MAX_TEXT})
        return ABSENT
    return joined


def _start_date(row: SyncRow, raw: dict[str, Any]) -> Any:
    value = _text(row, raw, "start_date")
    if value is ABSENT or value == "":
        return None if value == "" else ABSENT
    try:
        return date.fromisoformat(value)
    except ValueError:
        row.refuse("start_date", _("Enter a date as YYYY-MM-DD."))
        return ABSENT


def _status(row: SyncRow, raw: dict[str, Any]) -> Any:
    value = _text(row, raw, "status")
    if value is ABSENT:
        return ABSENT
    if value == "":
        return MembershipStatus.ACTIVE
    if value not in STATUSES:
        row.refuse("status", _("Choose active, on_leave or left."))
        return ABSENT
    return value


# Django's own pattern for the part before the @, compiled here once (Django's is lazy).
_EMAIL_USER = re.compile(validate_email.user_regex.pattern, validate_email.user_regex.flags)


@lru_cache(maxsize=1024)
def _domain_valid(domain: str) -> bool:
    # A batch has thousands of addresses and a handful of domains: the domain's check (the
    # costly part of Django's, with its IDN fallback) runs once per domain.
    try:
        validate_email(f"a@{domain}")
    except ValidationError:
        return False
    return True


def _email_valid(email: str) -> bool:
    """Exactly Django's `validate_email`, with the domain part's answer remembered."""
    if "@" not in email or len(email) > 320:
        return False
    user, domain = email.rsplit("@", 1)
    return bool(_EMAIL_USER.match(user)) and _domain_valid(domain)


def read_row(index: int, raw: Any) -> SyncRow:
    """A row as given, checked on its own; its `errors` say what is wrong, by field."""
    if not isinstance(raw, dict):
        row = SyncRow(index=index, external_id="")
        row.refuse("non_field_errors", _("Each person is an object."))
        return row
    row = SyncRow(index=index, external_id="")
    external_id = _text(row, raw, "external_id")
    row.external_id = external_id if isinstance(external_id, str) else ""
    for error in row.errors:
        error.external_id = row.external_id
    if not row.external_id:
        row.refuse("external_id", _("This field is required."))
    email = _text(row, raw, "email")
    if isinstance(email, str) and email:
        if _email_valid(email):
            row.email = email.lower()
        else:
            row.refuse("email", _("Enter a valid email address."))
    row.full_name = _full_name(row, raw)
    row.job_title = _text(row, raw, "job_title")
    row.team = _text(row, raw, "team")
    row.manager_external_id = _text(row, raw, "manager_external_id")
    if row.manager_external_id and row.manager_external_id == row.external_id:
        row.refuse("manager_external_id", _("A person cannot be their own manager."))
    row.start_date = _start_date(row, raw)
    row.status = _status(row, raw)
    return row


def read_rows(people: list[Any]) -> list[SyncRow]:
    """Every row, and the same external id or email twice in one batch refused on each."""
    rows = [read_row(index, raw) for index, raw in enumerate(people)]
    for attribute in ("external_id", "email"):
        seen: dict[str, list[SyncRow]] = {}
        for row in rows:
            value = getattr(row, attribute)
            if value:
                seen.setdefault(value, []).append(row)
        for same in seen.values():
            if len(same) > 1:
                numbers = ", ".join(str(row.index) for row in same)
                for row in same:
                    row.refuse(
                        attribute,
                        _("Appears more than once in the batch: rows %(rows)s.")
                        % {"rows": numbers},
                    )
    return rows
