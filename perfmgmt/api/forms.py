from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Scope


class CredentialForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("The system that will use the key, for example “Workday sync”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=[(scope.value, f"{scope.value}: {scope.label}") for scope in Scope],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Give the key only what the system needs."),
    )
