"""Forms of the review set-up pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from goals.development.models import Competency

from ..models import (
    AnswerReaders,
    GoalScoring,
    QuestionKind,
    RatingScale,
    ReviewerKind,
    ReviewTemplate,
    TemplateSection,
)
from ..services.setup import MAX_LEVELS, LevelInput

LEVEL_ROWS = 5


class RatingScaleForm(forms.Form):
    """A scale and its levels, one row each (lowest value first); blank rows are ignored."""

    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    anchored_by_competencies = forms.BooleanField(
        label=_("Behaviourally anchored"),
        required=False,
        help_text=_(
            "On a competency question, each level shows the competency's own description "
            "of that level (value 1 is the competency's level 1)."
        ),
    )

    def __init__(self, *args: Any, scale: RatingScale | None = None, **kwargs: Any) -> None:
        existing = list(scale.levels.all()) if scale is not None else []
        # One spare row beyond the existing levels, so editing never drops a level.
        self.row_count = min(MAX_LEVELS, max(LEVEL_ROWS, len(existing) + 1))
        if scale is not None:
            initial: dict[str, Any] = {
                "name": scale.name,
                "description": scale.description,
                "anchored_by_competencies": scale.anchored_by_competencies,
            }
            for number, level in enumerate(existing, start=1):
                initial[f"level_{number}_value"] = level.value.normalize()
                initial[f"level_{number}_label"] = level.label
                initial[f"level_{number}_description"] = level.description
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for number in range(1, self.row_count + 1):
            self.fields[f"level_{number}_value"] = forms.DecimalField(
                label=gettext("Level %(number)d value") % {"number": number},
                required=False,
                max_digits=6,
                decimal_places=2,
            )
            self.fields[f"level_{number}_label"] = forms.CharField(
                label=gettext("Level %(number)d label") % {"number": number},
                max_length=80,
                required=False,
            )
            self.fields[f"level_{number}_description"] = forms.CharField(
                label=gettext("Level %(number)d description") % {"number": number},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @property
    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("name", "description", "anchored_by_competencies")]

    @property
    def level_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (
                number,
                self[f"level_{number}_value"],
                self[f"level_{number}_label"],
                self[f"level_{number}_description"],
            )
            for number in range(1, self.row_count + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for number in range(1, self.row_count + 1):
            value = data.get(f"level_{number}_value")
            label = (data.get(f"level_{number}_label") or "").strip()
            if (value is None) != (not label):
                field = f"level_{number}_label" if value is not None else f"level_{number}_value"
                self.add_error(field, gettext("Give both a value and a label, or neither."))
        return data

    def levels(self) -> list[LevelInput]:
        data = self.cleaned_data
        return [
            LevelInput(
                value=data[f"level_{number}_value"],
                label=data[f"level_{number}_label"],
                description=data.get(f"level_{number}_description") or "",
            )
            for number in range(1, self.row_count + 1)
            if data.get(f"level_{number}_value") is not None
        ]

    def scale_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("name", "description")} | {
            "anchored_by_competencies": self.cleaned_data["anchored_by_competencies"]
        }


class ReviewTemplateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TemplateSectionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    weight = forms.DecimalField(
        label=_("Weight"),
        min_value=0,
        max_digits=6,
        decimal_places=2,
        initial=1,
        help_text=_("Its share of the overall score. 0: shown, but not scored."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TemplateQuestionForm(forms.Form):
    """A question of a template; its fields get ids of their own (prefix), since the template
    page shows this form beside the section form."""

    section: forms.ModelChoiceField[TemplateSection] = forms.ModelChoiceField(
        queryset=None, label=_("Section"), empty_label=None
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    prompt = forms.CharField(label=_("Question"), max_length=500)
    help_text = forms.CharField(
        label=_("Help for the person answering"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    scale: forms.ModelChoiceField[RatingScale] = forms.ModelChoiceField(
        queryset=None,
        label=_("Rating scale"),
        required=False,
        help_text=_("Every kind but free text rates on a scale."),
    )
    answered_by = forms.MultipleChoiceField(
        label=_("Answered in"),
        choices=ReviewerKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    readers = forms.ChoiceField(
        label=_("Who reads the answers"),
        choices=AnswerReaders.choices,
        initial=AnswerReaders.EVERYONE,
        widget=forms.RadioSelect,
    )
    goal_scoring = forms.ChoiceField(
        label=_("Goal questions"), choices=GoalScoring.choices, initial=GoalScoring.RATED
    )
    competency_ids: forms.ModelMultipleChoiceField[Competency] = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Competencies to rate"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    with_comment = forms.BooleanField(label=_("With a comment"), required=False)
    weight = forms.DecimalField(
        label=_("Weight in its section"), min_value=0, max_digits=6, decimal_places=2, initial=1
    )

    def __init__(self, *args: Any, template: ReviewTemplate, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "question")
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = TemplateSection.objects.filter(  # type: ignore[attr-defined]
            template=template
        ).order_by("position", "id")
        self.fields["scale"].queryset = RatingScale.objects.filter(archived_at__isnull=True)  # type: ignore[attr-defined]
        self.fields["competency_ids"].queryset = Competency.objects.filter(active=True)  # type: ignore[attr-defined]

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["competency_ids"] = [competency.pk for competency in data["competency_ids"]]
        return data
