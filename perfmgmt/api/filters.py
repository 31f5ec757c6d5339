"""Query filter types shared by every API list.

Use `UtcDateTimeFilter` for every moment in a query string: Python accepts UTC offsets up to
±23:59 that PostgreSQL refuses ("time zone displacement out of range"), so a filter value is
converted to UTC before it reaches the database, and a moment that has no UTC equivalent
(year 1 at +20:00, year 9999 at -05:00) is a 400 on that parameter.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 date and time, answered in UTC."""

    default_error_messages = {
        "out_of_range": _("Enter a date and time between years 1 and 9999 in UTC."),
    }

    def to_python(self, value: Any) -> datetime | None:
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except (OverflowError, ValueError):
            raise ValidationError(
                self.error_messages["out_of_range"], code="out_of_range"
            ) from None


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField
