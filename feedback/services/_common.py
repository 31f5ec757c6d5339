"""Helpers shared by the feedback app's services."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError

from perfmgmt.errors import DomainError, PermissionDeniedError
from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.policies import Actor
from perfmgmt.web.links import optional_reverse

from .. import policies

MAX_TEXT = 10_000
MAX_ASKED = 20


def _person(actor: Actor, message: str) -> Membership:
    if not policies.is_person(actor):
        raise PermissionDeniedError(message)
    return actor  # type: ignore[return-value]


def _full_clean(obj: Any, exclude: Sequence[str] = ()) -> None:
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise DomainError.from_validation_error(error) from None


def _check_length(**texts: str | None) -> None:
    fields = {
        name: [f"Keep it under {MAX_TEXT:,} characters."]
        for name, text in texts.items()
        if text is not None and len(text) > MAX_TEXT
    }
    if fields:
        raise DomainError("Some fields are too long.", fields=fields)


def _url(name: str, **kwargs: Any) -> str:
    return optional_reverse(name, **kwargs)
