"""Helpers shared by the feedback app's services."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from django.utils import formats
from django.utils.translation import gettext

from perfmgmt.errors import DomainError
from perfmgmt.localization import reader_locale
from perfmgmt.tenancy.context import current_organization
from perfmgmt.tenancy.models import Membership
from perfmgmt.web.links import optional_reverse

MAX_TEXT = 10_000
MAX_ASKED = 20


def _check_length(**texts: str | None) -> None:
    fields = {
        name: [gettext("Keep it under %(count)s characters.") % {"count": max_text()}]
        for name, text in texts.items()
        if text is not None and len(text) > MAX_TEXT
    }
    if fields:
        raise DomainError(gettext("Some fields are too long."), fields=fields)


def max_text() -> str:
    """The length limit of a text as the reader writes numbers (10,000 / 10.000)."""
    return formats.number_format(MAX_TEXT, force_grouping=True)


def _url(name: str, **kwargs: Any) -> str:
    return optional_reverse(name, **kwargs)


def for_reader(person: Membership) -> AbstractContextManager[None]:
    """Write a notification (and its email) for `person`: in their language and time zone."""
    return reader_locale(user=person.user, organization=current_organization())
