from django import forms

from .models import Scope


class CredentialForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="The system that will use the key, for example “Workday sync”.",
    )
    scopes = forms.MultipleChoiceField(
        label="Scopes",
        choices=[(scope.value, f"{scope.value}: {scope.label}") for scope in Scope],
        widget=forms.CheckboxSelectMultiple,
        help_text="Give the key only what the system needs.",
    )
