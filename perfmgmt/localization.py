"""The language and time zone a reader sees: one rule for pages, the API, emails and tasks.

A person's own choice (on their login, set only by them) comes first; otherwise the
organization whose page, API or email it is decides; outside any organization (sign-in,
account pages) the browser's Accept-Language does, through Django's LocaleMiddleware.

Pages and API requests activate the reader's locale once the organization is resolved
(`activate_reader`); code that writes for someone else, such as an email task, wraps the
rendering in `reader_locale(...)`. Dates and numbers follow the language through the
format modules in `perfmgmt/formats/`.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import dateformat, formats, timezone, translation

if TYPE_CHECKING:
    from perfmgmt.accounts.models import User
    from perfmgmt.tenancy.models import Organization


def supported_language(code: str | None) -> str | None:
    """`code` if it is one of the product's languages (a regional variant maps to its
    language: de-AT is de), else None."""
    if not code:
        return None
    available = {language for language, _name in settings.LANGUAGES}
    for candidate in (code, code.split("-")[0].split("_")[0]):
        if candidate.lower() in available:
            return candidate.lower()
    return None


def valid_time_zone(name: str | None) -> zoneinfo.ZoneInfo | None:
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def reader_language(*, user: User | None, organization: Organization | None) -> str:
    """The reader's own language, else the organization's, else the site default."""
    return (
        supported_language(getattr(user, "language", None))
        or supported_language(getattr(organization, "locale", None))
        or settings.LANGUAGE_CODE
    )


def reader_time_zone(*, user: User | None, organization: Organization | None) -> zoneinfo.ZoneInfo:
    """The reader's own time zone, else the organization's, else UTC."""
    return (
        valid_time_zone(getattr(user, "time_zone", None))
        or valid_time_zone(getattr(organization, "time_zone", None))
        or zoneinfo.ZoneInfo("UTC")
    )


def activate_reader(*, user: Any, organization: Organization) -> None:
    """For the rest of this request: the reader's language and time zone in `organization`.
    `user` may be anonymous or None (an API key): then the organization decides."""
    person = user if getattr(user, "is_authenticated", False) else None
    translation.activate(reader_language(user=person, organization=organization))
    timezone.activate(reader_time_zone(user=person, organization=organization))


@contextmanager
def reader_locale(*, user: User | None, organization: Organization | None) -> Iterator[None]:
    """Render something for `user` of `organization` (an email, a notification) in their
    language and time zone, whatever the surrounding request or task uses."""
    with (
        translation.override(reader_language(user=user, organization=organization)),
        timezone.override(reader_time_zone(user=user, organization=organization)),
    ):
        yield


class LanguageResetMiddleware:
    """Before Django's LocaleMiddleware: once the response has its Content-Language, the
    thread's language goes back to the default, so nothing that runs next on this thread
    (an eager task, the next test) inherits the reader's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            translation.deactivate()


class ReaderLocaleMiddleware:
    """After authentication: a signed-in person's own language and time zone, if they chose
    one, on every page (the organization pages refine it in `activate_reader`). The time
    zone is reset when the response leaves, so nothing carries over to the next request;
    Django's LocaleMiddleware, earlier in the chain, starts every request's language anew
    and names the final one in Content-Language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = supported_language(getattr(user, "language", ""))
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
            zone = valid_time_zone(getattr(user, "time_zone", ""))
            if zone is not None:
                timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


# --- One format for every time a person reads ------------------------------------------------
# In the active language and time zone (pages and the API activate the reader's; emails and
# notifications use `reader_locale`). Templates use the filters of the same names in
# `perfmgmt.web.templatetags.moments`.


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def format_moment(value: datetime.datetime | None) -> str:
    """2 Dec 2026, 21:11 (en) / 2. Dez. 2026, 21:11 (de)."""
    if value is None:
        return ""
    return formats.date_format(_local(value), "DATETIME_FORMAT")


def format_day(value: datetime.date | None) -> str:
    """2 Dec 2026 (en) / 2. Dez. 2026 (de); a datetime is its day in the reader's zone."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = _local(value).date()
    return formats.date_format(value, "DATE_FORMAT")


def format_month(value: datetime.date | None) -> str:
    """December 2026 (en) / Dezember 2026 (de): a month of a report."""
    if value is None:
        return ""
    return formats.date_format(value, "YEAR_MONTH_FORMAT")


def format_short_month(value: datetime.date | None) -> str:
    """Dec 2026 (en) / Dez. 2026 (de): a month under a chart's bar."""
    if value is None:
        return ""
    return dateformat.format(value, _language_format("SHORT_MONTH_FORMAT", "M Y"))


def format_weekday(value: datetime.date | None) -> str:
    """Thursday 3 December (en) / Donnerstag, 3. Dezember (de): a due day near today."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = _local(value).date()
    return dateformat.format(value, _language_format("WEEKDAY_DATE_FORMAT", "l j F"))


def format_clock(value: datetime.datetime | datetime.time | None) -> str:
    """21:11: the time of day only, for a moment whose day is shown beside it."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = _local(value)
    return formats.time_format(value, "TIME_FORMAT")


def _language_format(name: str, default: str) -> str:
    for module in formats.get_format_modules(translation.get_language()):
        if hasattr(module, name):
            return str(getattr(module, name))
    return default
