"""The improvement plan's forms: drafting and editing (a few expectation rows and review
dates), HR sending it back, the person's acknowledgement, and the outcome."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import PlanOutcomeKind
from ..services.improvement_plans.common import TEXT_MAX_LENGTH, ExpectationInput, PlanInput

EXPECTATION_ROWS = 5
REVIEW_DATE_ROWS = 4
DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


def _text(
    label: Any, *, required: bool = True, rows: int = 3, help_text: Any = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class ImprovementPlanForm(forms.Form):
    """`people` (creating) adds the person to choose; `goals` (editing: the person's goals
    the drafter may read) adds a goal choice per expectation."""

    start_date = forms.DateField(label=_("Starts"), widget=DATE_WIDGET)
    end_date = forms.DateField(label=_("Ends"), widget=DATE_WIDGET)
    reason = _text(_("Why this plan"), help_text=_("What is not going well, with examples."))
    support = _text(_("Support offered"), help_text=_("Coaching, training, time, people."))

    def __init__(
        self,
        *args: Any,
        people: Any = None,
        goals: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields = {
                "person": forms.ModelChoiceField(label=_("Who the plan is for"), queryset=people),
                **self.fields,
            }
        for row in range(EXPECTATION_ROWS):
            number = {"number": row + 1}
            self.fields[f"expectation_{row}"] = _text(
                _("Expectation %(number)d") % number, required=False, rows=2
            )
            self.fields[f"measure_{row}"] = _text(
                _("How expectation %(number)d is measured") % number, required=False, rows=2
            )
            if goals:
                self.fields[f"goal_{row}"] = forms.TypedChoiceField(
                    label=_("Goal linked to expectation %(number)d") % number,
                    choices=[("", _("No goal")), *goals],
                    coerce=int,
                    empty_value=None,
                    required=False,
                )
        for row in range(REVIEW_DATE_ROWS):
            self.fields[f"review_date_{row}"] = forms.DateField(
                label=_("Review date %(number)d") % {"number": row + 1},
                required=False,
                widget=DATE_WIDGET,
            )

    def plan_input(self) -> PlanInput:
        data = self.cleaned_data
        expectations = [
            ExpectationInput(
                description=data[f"expectation_{row}"],
                measure=data[f"measure_{row}"],
                goal_id=data.get(f"goal_{row}"),
            )
            for row in range(EXPECTATION_ROWS)
            if data[f"expectation_{row}"].strip() or data[f"measure_{row}"].strip()
        ]
        dates = [data[f"review_date_{row}"] for row in range(REVIEW_DATE_ROWS)]
        return PlanInput(
            start_date=data["start_date"],
            end_date=data["end_date"],
            reason=data["reason"],
            support=data["support"],
            expectations=expectations,
            review_dates=[day for day in dates if day is not None],
        )


# Where the services' field errors go on this form.
PLAN_FIELD_ALIASES = {"expectations": "expectation_0", "review_dates": "review_date_0"}


def plan_initial(plan: Any) -> dict[str, Any]:
    """The form's values for an existing plan (its rows in order)."""
    initial: dict[str, Any] = {
        "start_date": plan.start_date,
        "end_date": plan.end_date,
        "reason": plan.reason,
        "support": plan.support,
    }
    for row, expectation in enumerate(list(plan.expectations.all())[:EXPECTATION_ROWS]):
        initial[f"expectation_{row}"] = expectation.description
        initial[f"measure_{row}"] = expectation.measure
        initial[f"goal_{row}"] = expectation.goal_id
    for row, review_date in enumerate(list(plan.review_dates.all())[:REVIEW_DATE_ROWS]):
        initial[f"review_date_{row}"] = review_date.on
    return initial


class PlanReturnForm(forms.Form):
    reason = _text(_("Why it goes back"), help_text=_("The drafter reads it on the plan."))


class PlanAcknowledgeForm(forms.Form):
    comment = _text(
        _("Your comment"),
        required=False,
        help_text=_("Your manager and HR read it. Acknowledging is not agreeing with everything."),
    )


class PlanOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=PlanOutcomeKind.choices, widget=forms.RadioSelect
    )
    note = _text(_("Note"))
    decided_on = forms.DateField(label=_("Decided on"), required=False, widget=DATE_WIDGET)
    new_end_date = forms.DateField(
        label=_("New end date"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Only when the plan is extended."),
    )
