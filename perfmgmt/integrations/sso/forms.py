from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Protocol
from .settings import SsoInput


class SsoForm(forms.Form):
    protocol = forms.ChoiceField(label=_("Protocol"), choices=Protocol.choices)
    issuer_url = forms.CharField(
        label=_("Issuer URL"),
        required=False,
        max_length=500,
        help_text=_(
            "OpenID Connect: the provider's address, where /.well-known/openid-configuration lives."
        ),
    )
    client_id = forms.CharField(label=_("Client id"), required=False, max_length=191)
    client_secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        max_length=191,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Stored and never shown again. Leave empty to keep the stored secret."),
    )
    saml_metadata_url = forms.CharField(
        label=_("SAML metadata URL"), required=False, max_length=500
    )
    saml_entity_id = forms.CharField(
        label=_("SAML entity id"),
        required=False,
        max_length=500,
        help_text=_("Needed with a metadata URL."),
    )
    saml_metadata_xml = forms.CharField(
        label=_("SAML metadata XML"),
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Or paste the identity provider's metadata instead of its URL."),
    )
    email_domains = forms.CharField(
        label=_("Email domains"),
        required=False,
        max_length=2000,
        help_text=_(
            "Addresses at these domains are sent to this provider from the sign-in page; "
            "separate them with commas."
        ),
    )
    require_sso = forms.BooleanField(
        label=_("Require single sign-on for everyone in this organization"), required=False
    )
    require_two_factor_for_password = forms.BooleanField(
        label=_("Require two-factor authentication for everyone signing in with a password"),
        required=False,
    )

    def sso_input(self) -> SsoInput:
        data: dict[str, Any] = dict(self.cleaned_data)
        data["email_domains"] = [d for d in re.split(r"[\s,;]+", data["email_domains"]) if d]
        return SsoInput(**data)


class SsoStartForm(forms.Form):
    organization = forms.CharField(
        label=_("Your organization's short name or your work email"), max_length=254
    )
