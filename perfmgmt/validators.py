"""Validators shared by the login (accounts) and the organization (tenancy)."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(zone)s” is not a known time zone (for example Europe/Berlin).") % {"zone": value}
        )


def validate_language(value: str) -> None:
    if value not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationError(
            _("“%(language)s” is not one of the product's languages.") % {"language": value}
        )
