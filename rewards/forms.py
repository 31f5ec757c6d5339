"""HTML forms for praise and the organization's values. They parse input; the rules are in
services.py and policies.py. Querysets are set in `__init__` (an organization is active
only during a request)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from perfmgmt.tenancy.forms import PeopleForm
from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.person_search import PeopleSearchField, person_source

from . import policies, selectors
from .models import MAX_MESSAGE, MAX_VALUE_DESCRIPTION, MAX_VALUE_NAME


@person_source("rewards.praisable")
def praisable(actor: Membership) -> Any:
    """Whom one may praise (policies.praisable_q)."""
    return Membership.objects.filter(policies.praisable_q(actor)).select_related("user")


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
