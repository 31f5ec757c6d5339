"""HTML forms for praise and the organization's values. They parse input; the rules are in
services.py and policies.py. Querysets are set in `__init__` (an organization is active
only during a request)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from perfmgmt.tenancy.forms import PeopleForm
from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.person_search import PeopleSearchField, PersonSearchField, person_source

from . import selectors
from .models import MAX_MESSAGE, MAX_REASON, MAX_VALUE_DESCRIPTION, MAX_VALUE_NAME, RewardKind


@person_source("rewards.praisable")
def praisable(actor: Membership) -> Any:
    return selectors.praisable_people(actor=actor)


class PraiseForm(PeopleForm):
    # Found by searching, never a list of everyone (perfmgmt/tenancy/person_search.py).
    recipients = PeopleSearchField(
        label=_("Who are you thanking?"), help_text=_("Find each person by name and tick them.")
    )
    message = forms.CharField(
        label=_("What are you thanking them for?"),
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Everyone in the organization can read it."),
    )
    value: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("For the value"), empty_label=_("No value")
    )

    def __init__(self, *args: Any, actor: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipients"].use_source("rewards.praisable", actor)  # type: ignore[attr-defined]
        values = selectors.value_list(active_only=True)
        self.fields["value"].queryset = values  # type: ignore[attr-defined]
        if not values.exists():
            del self.fields["value"]


class ValueForm(PeopleForm):
    name = forms.CharField(label=_("Name"), max_length=MAX_VALUE_NAME)
    description = forms.CharField(
        label=_("What it means"),
        max_length=MAX_VALUE_DESCRIPTION,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ValueEditForm(ValueForm):
    active = forms.BooleanField(
        label=_("Offered for new praise"),
        required=False,
        help_text=_("A retired value stays on the praise already given for it."),
    )


# --- Rewards ------------------------------------------------------------------------------


@person_source("rewards.proposable")
def proposable(actor: Membership) -> Any:
    return selectors.proposable_people(actor=actor)


class RewardForm(PeopleForm):
    person = PersonSearchField(label=_("For"))
    kind = forms.ChoiceField(label=_("Reward"), choices=RewardKind.choices)
    amount = forms.DecimalField(
        label=_("Amount"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        help_text=_("For a bonus or a raise."),
    )
    currency = forms.CharField(
        label=_("Currency"), required=False, max_length=3, help_text=_("EUR, USD, GBP…")
    )
    budget: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("From the budget"), empty_label=_("No budget")
    )
    reason = forms.CharField(
        label=_("What is it for?"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The goals met, the work, the growth: HR admins decide from it."),
    )

    def __init__(self, *args: Any, actor: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].use_source("rewards.proposable", actor)  # type: ignore[attr-defined]
        budgets = selectors.budget_list(current=True)
        self.fields["budget"].queryset = budgets  # type: ignore[attr-defined]
        if not budgets.exists():
            del self.fields["budget"]


class DecisionForm(PeopleForm):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Read by whoever reads the reward (the person once it is approved); needed to "
            "turn it down."
        ),
    )


class BudgetForm(PeopleForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    currency = forms.CharField(label=_("Currency"), max_length=3, help_text=_("EUR, USD, GBP…"))
    amount = forms.DecimalField(label=_("Amount"), min_value=0, max_digits=12, decimal_places=2)
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
