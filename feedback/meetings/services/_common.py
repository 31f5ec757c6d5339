"""Helpers shared by the 1:1 services: who may write, text limits, validation, and the
version check that refuses a stale edit (409).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from perfmgmt.tenancy.context import current_organization

MAX_TEXT = 5000
MAX_NOTES = 50_000
# What a stale edit is told, one whole sentence per kind of text (for the translators).
STALE_MESSAGES = {
    "action item": _(
        "Someone else changed this action item while you were editing. Your text is kept "
        "below: compare it with the saved version and save again."
    ),
    "talking point": _(
        "Someone else changed this talking point while you were editing. Your text is kept "
        "below: compare it with the saved version and save again."
    ),
    "shared notes": _(
        "Someone else changed these shared notes while you were editing. Your text is kept "
        "below: compare it with the saved version and save again."
    ),
    "note": _(
        "Someone else changed this note while you were editing. Your text is kept below: "
        "compare it with the saved version and save again."
    ),
}


PAST_MEETING = _("That day has passed: choose a time from today on, or say it already took place.")
PAST_DUE_DATE = _("That day has passed: choose today or a later day.")

# Writes come from people; API keys read 1:1s but never write them.
KEYS_CANNOT_WRITE = _("API keys cannot change 1:1s.")


def _require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDeniedError(message or gettext("You are not part of this 1:1."))


def _clean_text(value: str, *, field: str, limit: int = MAX_TEXT, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError(
            gettext("Some fields are not valid."),
            fields={field: [gettext("This cannot be empty.")]},
        )
    if len(text) > limit:
        raise DomainError(
            gettext("Some fields are not valid."),
            fields={
                field: [
                    gettext("Keep it under %(limit)d characters (it has %(length)d).")
                    % {"limit": limit, "length": len(text)}
                ]
            },
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
            str(STALE_MESSAGES[what]),
            fields={
                "version": [
                    gettext("The saved version is %(saved)d; you edited %(edited)d.")
                    % {"saved": current, "edited": expected}
                ]
            },
        )


def local_today() -> date:
    """Today on the active organization's clocks."""
    return current_organization().today()


def _check_meeting_time(moment: datetime, *, field: str, confirm_past: bool) -> None:
    """A meeting is scheduled from today on (organization time; earlier today is fine: a
    1:1 being held now). An earlier one only when the person says it took place."""
    if timezone.is_naive(moment):
        raise DomainError(
            gettext("Some fields are not valid."), fields={field: [gettext("Give a time zone.")]}
        )
    day = timezone.localtime(moment, current_organization().zone).date()
    if day < local_today() and not confirm_past:
        raise DomainError(
            gettext("Some fields are not valid."), fields={field: [str(PAST_MEETING)]}
        )


def _check_due_date(due_date: date | None, *, agreed_on: datetime) -> None:
    """An action item is due from today on, or, for one agreed in a meeting that took place
    earlier, from that meeting's day on: never "overdue" the moment it is written down."""
    if due_date is None:
        return
    meeting_day = timezone.localtime(agreed_on, current_organization().zone).date()
    if due_date < min(local_today(), meeting_day):
        raise DomainError(
            gettext("Some fields are not valid."), fields={"due_date": [str(PAST_DUE_DATE)]}
        )
