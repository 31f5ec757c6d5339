"""The audit page's filters (a GET form) and the export's format."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import actions
from .paging import InvalidCursor, Position


class AuditFilterForm(forms.Form):
    who = forms.CharField(label=_("Who (part of a name)"), max_length=200, required=False)
    group = forms.ChoiceField(label=_("Kind of change"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False)
    target_type = forms.ChoiceField(label=_("About what"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    actor = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    person = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    cursor = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: dict[str, list[Any]] = {
            "group": [("", _("Any kind")), *actions.group_choices()],
            "action": [("", _("Any action")), *actions.grouped_choices()],
            "target_type": [("", _("Anything")), *actions.target_type_choices()],
        }
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = options

    def clean_cursor(self) -> Position | None:
        cursor = self.cleaned_data.get("cursor") or ""
        if not cursor:
            return None
        try:
            return Position.decode(cursor)
        except InvalidCursor:
            raise forms.ValidationError(_("This page link is broken; start again.")) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("Choose a day on or after the first day."))
        return data

    def selector_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        arguments = {
            "who": data.get("who") or "",
            "group": data.get("group") or "",
            "action": data.get("action") or "",
            "target_type": data.get("target_type") or "",
            "since": data.get("since"),
            "until": data.get("until"),
            "actor_id": data.get("actor"),
            "person_id": data.get("person"),
        }
        return {key: value for key, value in arguments.items() if value not in (None, "")}

    def recorded_filters(self) -> dict[str, Any]:
        """The filters as the export's audit entry records them (plain JSON values)."""
        return {
            key: value.isoformat() if hasattr(value, "isoformat") else value
            for key, value in self.selector_arguments().items()
        }


class ExportForm(forms.Form):
    file_format = forms.ChoiceField(
        label=_("Format"), choices=[("csv", "CSV"), ("xlsx", "XLSX")], initial="csv"
    )
