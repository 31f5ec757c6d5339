"""HTML forms for development plans and the framework. They parse; services decide.

Querysets are set in `__init__` (the tenant managers need an active organization).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from perfmgmt.tenancy.forms import PeopleForm, PersonChoiceField

from .models import (
    ActionKind,
    ActionStatus,
    Competency,
    CompetencyCategory,
    CompetencyLevel,
    DevelopmentAction,
    DevelopmentPlan,
)
from .services import MAX_LEVELS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LEVEL_ROWS = 5


def _text(label: StrOrPromise, rows: int = 3, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


class PlanForm(PeopleForm):
    person = PersonChoiceField(queryset=None, label=_("Whose plan"), empty_label=None)
    period = forms.CharField(
        label=_("Period"), max_length=40, help_text=_('A name for the period, such as "2026".')
    )
    period_start = forms.DateField(label=_("Starts on"), widget=DATE)
    period_end = forms.DateField(label=_("Ends on"), widget=DATE)
    aspiration = _text(
        _("Where do you want to grow?"),
        rows=4,
        help_text=_("In your own words; your manager reads it."),
    )

    def __init__(
        self,
        *args: Any,
        people: Any = None,
        plan: DevelopmentPlan | None = None,
        **kwargs: Any,
    ) -> None:
        if plan is not None:
            kwargs.setdefault(
                "initial",
                {
                    "period": plan.period,
                    "period_start": plan.period_start,
                    "period_end": plan.period_end,
                    "aspiration": plan.aspiration,
                },
            )
        super().__init__(*args, **kwargs)
        if people is None:
            del self.fields["person"]
        else:
            self.fields["person"].queryset = people  # type: ignore[attr-defined]


class IdPrefixedForm(PeopleForm):
    """A form that shares its page with others: its field ids start with `id_prefix`, so two
    forms with a field of the same name (title, competency, due date) keep distinct ids and
    each label names its own field. The field names, which the views read, stay the same."""

    id_prefix = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class ObjectiveForm(IdPrefixedForm):
    id_prefix = "objective"

    title = forms.CharField(label=_("Objective"), max_length=200)
    description = _text(_("What does success look like?"))
    competency: forms.ModelChoiceField[Competency] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Competency it builds"), empty_label=_("None")
    )
    start_date = forms.DateField(
        label=_("Starts on"), required=False, widget=DATE, help_text=_("Empty: the plan's start.")
    )
    due_date = forms.DateField(
        label=_("Due on"), required=False, widget=DATE, help_text=_("Empty: the plan's end.")
    )
    milestones = _text(
        _("Milestones"), help_text=_("One per line: observable steps that measure progress.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = Competency.objects.filter(active=True)  # type: ignore[attr-defined]

    def milestone_titles(self) -> list[str]:
        lines = self.cleaned_data.get("milestones", "").splitlines()
        return [line.strip() for line in lines if line.strip()]


class ObjectiveEditForm(PeopleForm):
    title = forms.CharField(label=_("Objective"), max_length=200)
    description = _text(_("What does success look like?"))
    competency: forms.ModelChoiceField[Competency] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Competency it builds"), empty_label=_("None")
    )
    due_date = forms.DateField(label=_("Due on"), required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = Competency.objects.all()  # type: ignore[attr-defined]


class LevelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return gettext("Level %(level)s, %(name)s") % {"level": obj.level, "name": obj.name}


class LevelSelect(forms.Select):
    """The levels grouped under their competency (readable without JavaScript), each option
    naming its competency in `data-competency` so static/js/development.js can offer only
    the chosen competency's levels."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.competency_of: dict[str, int] = {}

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        competency = self.competency_of.get(str(value))
        if competency is not None:
            option["attrs"] = {"data-competency": str(competency), **option["attrs"]}
        return option


class PlanCompetencyForm(IdPrefixedForm):
    id_prefix = "plan-competency"

    competency: forms.ModelChoiceField[Competency] = forms.ModelChoiceField(
        queryset=None,
        label=_("Competency"),
        empty_label=None,
        widget=forms.Select(attrs={"data-level-source": ""}),
    )
    target_level = LevelChoiceField(
        queryset=None,
        required=False,
        label=_("Level to reach"),
        empty_label=_("No target level"),
        widget=LevelSelect(attrs={"data-levels-of-competency": ""}),
        help_text=_("The levels of the competency chosen above."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        competencies = Competency.objects.filter(active=True)
        self.fields["competency"].queryset = competencies  # type: ignore[attr-defined]
        choosable = CompetencyLevel.objects.filter(competency__active=True)
        field = self.fields["target_level"]
        field.queryset = choosable  # type: ignore[attr-defined]
        # In the order of the competency choices, so the groups follow that list.
        order = [f"competency__{name}" for name in Competency._meta.ordering or ()]
        levels = list(choosable.select_related("competency").order_by(*order, "level"))
        widget = field.widget
        assert isinstance(widget, LevelSelect)
        widget.competency_of = {str(level.pk): level.competency_id for level in levels}
        groups: dict[int, tuple[str, list[tuple[int, str]]]] = {}
        for level in levels:
            _name, options = groups.setdefault(level.competency_id, (level.competency.name, []))
            options.append((level.pk, field.label_from_instance(level)))  # type: ignore[attr-defined]
        widget.choices = [("", field.empty_label), *groups.values()]  # type: ignore[attr-defined]


class ActionForm(IdPrefixedForm):
    id_prefix = "action"

    kind = forms.ChoiceField(label=_("Kind"), choices=ActionKind.choices)
    title = forms.CharField(label=_("Action"), max_length=200)
    owner = PersonChoiceField(queryset=None, label=_("Owner"), empty_label=None)
    due_date = forms.DateField(label=_("Due on"), required=False, widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    notes = _text(_("Notes"), rows=2)

    def __init__(
        self,
        *args: Any,
        owners: Any,
        action: DevelopmentAction | None = None,
        **kwargs: Any,
    ) -> None:
        if action is not None:
            kwargs.setdefault(
                "initial",
                {
                    "kind": action.kind,
                    "title": action.title,
                    "owner": action.owner_id,
                    "due_date": action.due_date,
                    "status": action.status,
                    "notes": action.notes,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]


class ActionStatusForm(PeopleForm):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


class CommentForm(PeopleForm):
    comment = forms.CharField(
        label=_("Comment for the person"), widget=forms.Textarea(attrs={"rows": 3})
    )


class AgreeForm(PeopleForm):
    comment = _text(_("Comment (optional)"), rows=2)


class CategoryForm(PeopleForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = _text(_("Description"), rows=2)
    position = forms.IntegerField(
        label=_("Order"), min_value=0, max_value=32767, initial=0, help_text=_("Lower comes first.")
    )

    def __init__(self, *args: Any, category: CompetencyCategory | None = None, **kwargs: Any):
        if category is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": category.name,
                    "description": category.description,
                    "position": category.position,
                },
            )
        super().__init__(*args, **kwargs)


class CompetencyForm(PeopleForm):
    """A competency and up to five levels (lowest first); blank level rows are ignored."""

    category: forms.ModelChoiceField[CompetencyCategory] = forms.ModelChoiceField(
        queryset=None, label=_("Category"), empty_label=None
    )
    name = forms.CharField(label=_("Name"), max_length=120)
    description = _text(_("Description"), rows=2)
    active = forms.BooleanField(
        label=_("In use"),
        required=False,
        initial=True,
        help_text=_("Retired ones stay on old plans."),
    )

    def __init__(self, *args: Any, competency: Competency | None = None, **kwargs: Any) -> None:
        initial: dict[str, Any] = {"active": True}
        # One spare row beyond the existing levels, so editing never drops a level.
        existing = list(competency.levels.all()) if competency is not None else []
        self.row_count = min(MAX_LEVELS, max(LEVEL_ROWS, len(existing) + 1))
        if competency is not None:
            initial = {
                "category": competency.category_id,
                "name": competency.name,
                "description": competency.description,
                "active": competency.active,
            }
            for level in existing:
                if level.level <= self.row_count:
                    initial[f"level_{level.level}_name"] = level.name
                    initial[f"level_{level.level}_behaviour"] = level.behaviour
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = CompetencyCategory.objects.all()  # type: ignore[attr-defined]
        for number in range(1, self.row_count + 1):
            self.fields[f"level_{number}_name"] = forms.CharField(
                label=gettext("Level %(number)d name") % {"number": number},
                max_length=120,
                required=False,
            )
            self.fields[f"level_{number}_behaviour"] = forms.CharField(
                label=gettext("Level %(number)d: observable behaviour") % {"number": number},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def levels(self) -> list[tuple[str, str]]:
        rows = [
            (
                self.cleaned_data.get(f"level_{number}_name", ""),
                self.cleaned_data.get(f"level_{number}_behaviour", ""),
            )
            for number in range(1, self.row_count + 1)
        ]
        # Blank rows are left out, so the levels are numbered 1..n without gaps.
        return [row for row in rows if row[0] or row[1]]

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("category", "name", "description", "active")]

    def level_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [
            (number, self[f"level_{number}_name"], self[f"level_{number}_behaviour"])
            for number in range(1, self.row_count + 1)
        ]
