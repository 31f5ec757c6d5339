from django import forms
from django.utils.translation import gettext_lazy as _

from . import catalogue


class EndpointForm(forms.Form):
    url = forms.CharField(
        label=_("URL"),
        max_length=2000,
        help_text=_("Where events are sent, for example https://hr.example.com/webhooks."),
        widget=forms.URLInput(attrs={"inputmode": "url", "autocomplete": "off"}),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=200,
        required=False,
        help_text=_("What receives them, for example “Payroll sync”."),
    )
    event_types = forms.MultipleChoiceField(
        label=_("Events"),
        choices=catalogue.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Payloads carry ids and a few fields, never notes, answers or comments."),
    )
