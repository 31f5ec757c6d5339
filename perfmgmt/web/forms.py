from __future__ import annotations

import zoneinfo
from functools import cache
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from perfmgmt.errors import DomainError


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    """UTC first, then every Area/Location zone (the legacy aliases are left out)."""
    zones = sorted(
        zone
        for zone in zoneinfo.available_timezones()
        if "/" in zone and not zone.startswith(("Etc/", "SystemV/", "US/"))
    )
    return [("UTC", "UTC"), *((zone, zone.replace("_", " ")) for zone in zones)]


def locale_choices() -> list[tuple[str, str]]:
    return sorted(((code, str(name)) for code, name in settings.LANGUAGES), key=lambda c: c[1])


def add_domain_error(
    form: forms.BaseForm, error: DomainError, *, aliases: dict[str, str] | None = None
) -> None:
    """Show a service's refusal on the form: on the fields it names (`aliases` maps a
    service's name to the form's, {"password": "password1"}); fields the form does not
    have, or no fields at all, go above the form."""
    aliases = aliases or {}
    for name, messages in error.fields.items():
        field = aliases.get(name, name)
        form.add_error(field if field in form.fields else None, messages)
    if not error.fields:
        form.add_error(None, error.message)


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        help_text=_("Pages, emails and dates. Otherwise each organization's language."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_("The times you read. Otherwise each organization's time zone."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organizations_own = [("", gettext("The organization's"))]
        for name, choices in (("language", locale_choices()), ("time_zone", time_zone_choices())):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = organizations_own + choices


class OrganizationCreateForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    slug = forms.CharField(
        label="Slug",
        max_length=50,
        help_text="Used in links, as in /o/acme/. Lowercase letters, digits and hyphens.",
    )
    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=time_zone_choices,
        initial="UTC",
        help_text="Deadlines and reminders follow this time zone.",
    )


class OrganizationSettingsForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=time_zone_choices,
        help_text="Deadlines and reminders follow this time zone.",
    )
    locale = forms.ChoiceField(
        label="Language",
        choices=locale_choices,
        help_text="The language of emails and dates for this organization.",
    )
