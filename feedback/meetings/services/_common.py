"""Helpers shared by the 1:1 services: who may write, text limits, validation, and the
version check that refuses a stale edit (409).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone

from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from perfmgmt.tenancy.context import current_organization

MAX_TEXT = 5000
MAX_NOTES = 50_000
STALE_MESSAGE = (
    "{who} changed this {what} while you were editing. Your text is kept below: "
    "compare it with the saved version and save again."
)


PAST_MEETING = "That day has passed: choose a time from today on, or say it already took place."
PAST_DUE_DATE = "That day has passed: choose today or a later day."

# Writes come from people; API keys read 1:1s but never write them.
KEYS_CANNOT_WRITE = "API keys cannot change 1:1s."


def _require(allowed: bool, message: str = "You are not part of this 1:1.") -> None:
    if not allowed:
        raise PermissionDeniedError(message)


def _clean_text(value: str, *, field: str, limit: int = MAX_TEXT, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError("Some fields are not valid.", fields={field: ["This cannot be empty."]})
    if len(text) > limit:
        raise DomainError(
            "Some fields are not valid.",
            fields={field: [f"Keep it under {limit} characters (it has {len(text)})."]},
        )
    return text


def _save(instance: Model, **kwargs: Any) -> None:
    try:
        instance.full_clean(exclude=["organization"], validate_constraints=False)
    except ValidationError as error:
        raise DomainError.from_validation_error(error) from None
    instance.save(**kwargs)


def _check_version(current: int, expected: int | None, *, what: str) -> None:
    if expected is not None and expected != current:
        raise ConflictError(
            STALE_MESSAGE.format(who="Someone else", what=what),
            fields={"version": [f"The saved version is {current}; you edited {expected}."]},
        )


def local_today() -> date:
    """Today on the active organization's clocks."""
    return timezone.localdate(timezone.now(), current_organization().zone)


def _check_meeting_time(moment: datetime, *, field: str, confirm_past: bool) -> None:
    """A meeting is scheduled from today on (organization time; earlier today is fine: a
    1:1 being held now). An earlier one only when the person says it took place."""
    if timezone.is_naive(moment):
        raise DomainError("Some fields are not valid.", fields={field: ["Give a time zone."]})
    day = timezone.localtime(moment, current_organization().zone).date()
    if day < local_today() and not confirm_past:
        raise DomainError("Some fields are not valid.", fields={field: [PAST_MEETING]})


def _check_due_date(due_date: date | None, *, agreed_on: datetime) -> None:
    """An action item is due from today on, or, for one agreed in a meeting that took place
    earlier, from that meeting's day on: never "overdue" the moment it is written down."""
    if due_date is None:
        return
    meeting_day = timezone.localtime(agreed_on, current_organization().zone).date()
    if due_date < min(local_today(), meeting_day):
        raise DomainError("Some fields are not valid.", fields={"due_date": [PAST_DUE_DATE]})
