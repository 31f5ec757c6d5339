"""Helpers shared by the 1:1 services: who may write, text limits, validation, and the
version check that refuses a stale edit (409).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model

from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError

MAX_TEXT = 5000
MAX_NOTES = 50_000
STALE_MESSAGE = (
    "{who} changed this {what} while you were editing. Your text is kept below: "
    "compare it with the saved version and save again."
)


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
