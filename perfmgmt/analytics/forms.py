"""The page's choices (months, team), the same form the CSV export validates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from perfmgmt.exports import ExportForm
from perfmgmt.tenancy.models import Team

from .scope import DEFAULT_MONTHS, MONTH_CHOICES
from .selectors import team_choices


class AnalyticsForm(ExportForm):
    months = forms.TypedChoiceField(
        label=_("Months"),
        choices=[(months, str(months)) for months in MONTH_CHOICES],
        coerce=int,
        required=False,
        empty_value=DEFAULT_MONTHS,  # type: ignore[arg-type]  # a number, as `coerce` gives
        initial=DEFAULT_MONTHS,
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team._base_manager.none(),
        required=False,
        empty_label=_("Everyone I may see"),
        help_text=_("The team and every team below it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = team_choices(actor=self.actor)  # type: ignore[attr-defined]
        self.fields["months"].choices = [  # type: ignore[attr-defined]
            (months, gettext("Last %(months)s months") % {"months": months})
            for months in MONTH_CHOICES
        ]
