"""HTML forms for goal pages. They parse input; the rules live in services and policies.

Querysets are set in `__init__` (the tenant managers need an active organization).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from perfmgmt.tenancy.forms import PeopleForm
from perfmgmt.tenancy.models import Membership, Team
from perfmgmt.tenancy.person_search import PeopleSearchField, PersonSearchField, person_source
from perfmgmt.tenancy.policies import Actor

from . import selectors
from .models import Confidence, Goal, GoalStatus, GoalType, OwnerKind, Visibility, plain_number

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_VALUE: dict[str, Any] = {"max_digits": 16, "decimal_places": 4, "required": False}
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GoalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} — {obj.owner_name}"


people_for = selectors.assignable_people
person_source("goals.assignable")(people_for)
teams_for = selectors.assignable_teams


def _reward_text_field(help_text: StrOrPromise) -> forms.CharField:
    return forms.CharField(
        label=_("Expected reward"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=help_text,
    )


def _reward_amount_field() -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Reward amount"), max_digits=12, decimal_places=2, min_value=0, required=False
    )


class _GoalFields(PeopleForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The specific outcome, and why it matters."),
    )
    goal_type = forms.ChoiceField(
        label=_("Type"), choices=GoalType.choices, initial=GoalType.QUANTITATIVE
    )
    unit = forms.CharField(
        label=_("Unit"), max_length=50, required=False, help_text=_("e.g. %, ms, €")
    )
    start_value = forms.DecimalField(label=_("Start value"), **_VALUE)
    target_value = forms.DecimalField(
        label=_("Target value"),
        help_text=_("May be below the start (e.g. cut response time)."),
        **_VALUE,
    )
    start_date = forms.DateField(label=_("Start date"), required=False, widget=_DATE)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=_DATE)
    weight = forms.DecimalField(
        label=_("Weight"),
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0.01"),
        initial=Decimal("1"),
        help_text=_("Relative to the other goals under the same parent."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can read it"), choices=Visibility.choices, initial=Visibility.TEAM_AND_MANAGERS
    )
    parent = GoalChoiceField(
        queryset=None,
        required=False,
        label=_("Supports (parent goal)"),
        empty_label=_("No parent goal"),
    )
    milestones = forms.CharField(
        label=_("Milestones"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line; for qualitative and learning goals."),
    )

    def __init__(self, *args: Any, actor: Actor, goal: Goal | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        choices = selectors.parent_choices(actor=actor, exclude=goal)
        if goal is not None and goal.parent_id and not choices.filter(pk=goal.parent_id).exists():
            # Aligned under a goal this person may not read: they can neither see nor keep
            # it as a choice, so the alignment is left as it is.
            del self.fields["parent"]
        else:
            self.fields["parent"].queryset = choices  # type: ignore[attr-defined]

    def milestone_titles(self) -> list[str]:
        text = self.cleaned_data.get("milestones") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class GoalCreateForm(_GoalFields):
    owner_kind = forms.ChoiceField(
        label=_("Whose goal"), choices=OwnerKind.choices, initial=OwnerKind.PERSON
    )
    owner_person = PersonSearchField(
        required=False,
        label=_("Person"),
        empty_label=_("No one yet"),
        help_text=_("For a person's goal."),
    )
    owner_team: forms.ModelChoiceField[Team] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Team"),
        empty_label=_("Choose a team"),
        help_text=_("For a team's goal."),
    )
    reward_text = _reward_text_field(_("What achieving it earns, agreed up front (optional)."))
    reward_amount = _reward_amount_field()

    field_order = ["owner_kind", "owner_person", "owner_team"]

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["owner_person"].use_source("goals.assignable", actor)  # type: ignore[attr-defined]
        self.fields["owner_team"].queryset = teams_for(actor)  # type: ignore[attr-defined]
        if not self.is_bound and not actor.is_api_client:
            self.initial.setdefault("owner_person", actor.pk)

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["milestones"] = self.milestone_titles()
        data["reward_text"] = data.get("reward_text") or ""
        return data


class GoalEditForm(_GoalFields):
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)
    milestones = forms.CharField(
        label=_("Add milestones"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )
    reward_text = _reward_text_field(_("What achieving it earns (optional)."))
    reward_amount = _reward_amount_field()

    def __init__(self, *args: Any, actor: Actor, goal: Goal, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, goal=goal, **kwargs)
        # Only who may read the reward may change it (`reward_visible`, from the selectors).
        if not getattr(goal, "reward_visible", False):
            del self.fields["reward_text"]
            del self.fields["reward_amount"]

    @classmethod
    def initial_for(cls, goal: Goal) -> dict[str, Any]:
        names = ["title", "description", "goal_type", "unit", "start_value", "target_value"]
        names += ["start_date", "due_date", "weight", "visibility", "status"]
        names += ["reward_text", "reward_amount"]
        initial = {name: getattr(goal, name) for name in names}
        for name in ("start_value", "target_value", "weight"):
            if initial[name] is not None:
                initial[name] = plain_number(initial[name])
        initial["parent"] = goal.parent_id
        return initial

    def changes(self, goal: Goal) -> dict[str, Any]:
        """Only what differs from the goal, so an untouched target does not ask for a new
        agreement."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "milestones"}
        return {name: value for name, value in data.items() if getattr(goal, name) != value}


class GoalUpdateForm(PeopleForm):
    confidence = forms.ChoiceField(
        label=_("Confidence"),
        choices=Confidence.choices,
        initial=Confidence.ON_TRACK,
        widget=forms.RadioSelect,
    )
    value = forms.DecimalField(label=_("Current value"), **_VALUE)
    done_milestones = forms.TypedMultipleChoiceField(
        label=_("Milestones done"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, goal: Goal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        milestones = list(goal.milestones.all())
        field = self.fields["done_milestones"]
        field.choices = [(m.pk, m.title) for m in milestones]  # type: ignore[attr-defined]
        self.initial.setdefault("done_milestones", [m.pk for m in milestones if m.done])
        if not milestones:
            del self.fields["done_milestones"]
        if not goal.has_measure:
            del self.fields["value"]
        else:
            self.fields["value"].label = (
                gettext("Current value (%(unit)s)") % {"unit": goal.unit}
                if goal.unit
                else gettext("Current value")
            )
            if goal.current_value is not None:
                self.initial.setdefault("value", plain_number(goal.current_value))

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if "done_milestones" not in self.fields:
            data["done_milestones"] = None
        return data


class AgreeForm(PeopleForm):
    """The reward fields are there for the side that may write the reward while agreeing;
    `version` is the goal's version the page showed (see `goals.services.goal_agree`)."""

    reward_text = _reward_text_field(_("What achieving the goal earns (optional)."))
    reward_amount = _reward_amount_field()
    version = forms.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput
    )

    def __init__(
        self, *args: Any, with_reward: bool = True, goal: Goal | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.with_reward = with_reward
        if goal is not None and not self.is_bound:
            self.initial["version"] = goal.version
        if not with_reward:
            del self.fields["reward_text"]
            del self.fields["reward_amount"]

    @classmethod
    def after_conflict(
        cls, typed: Any, *, goal: Goal, with_reward: bool, message: str
    ) -> AgreeForm:
        """What was typed, now naming the goal's current version, with the reason above."""
        data = typed.copy()
        data["version"] = str(goal.version)
        form = cls(data, with_reward=with_reward)
        form.is_valid()
        form.add_error(None, message)
        return form


class AssignForm(_GoalFields):
    people = PeopleSearchField(
        required=False,
        label=_("People"),
        help_text=_("Find each person by name and tick them."),
    )
    team: forms.ModelChoiceField[Team] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Or everyone in a team"),
        empty_label=_("No team"),
        help_text=_("Everyone in the team you may set goals for (not you)."),
    )

    field_order = ["people", "team"]

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["people"].use_source("goals.assignable", actor)  # type: ignore[attr-defined]
        self.fields["team"].queryset = teams_for(actor)  # type: ignore[attr-defined]

    def chosen_people(self) -> list[Membership]:
        chosen = list(self.cleaned_data.get("people") or [])
        team = self.cleaned_data.get("team")
        if team is not None:
            chosen += list(selectors.assignable_team_members(actor=self.actor, team=team))
        return chosen

    def service_arguments(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("people", "team")}
        data["milestones"] = self.milestone_titles()
        return data


class GoalSettingsForm(PeopleForm):
    stale_after_days = forms.IntegerField(
        label=_("A goal needs attention after this many days without an update"),
        min_value=1,
        max_value=365,
        help_text=_("Owners of active goals are reminded once per period of this many days."),
    )
