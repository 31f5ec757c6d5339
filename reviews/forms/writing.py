"""The review form, built from the participant's snapshot: per question and item (a
competency, a goal, or 0) a rating, "not applicable", a comment or text, and the evidence it
cites. The form only parses; `reviews.services.writing` validates against the snapshot."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import GoalScoring, QuestionKind
from ..selectors.writing import plain_value
from ..services.writing import MAX_TEXT, AnswerInput, answer_key

MAX_VERSION = 2_147_483_647


def has_rating(question: dict) -> bool:
    if question["kind"] == QuestionKind.TEXT:
        return False
    return not (
        question["kind"] == QuestionKind.GOALS and question["goal_scoring"] == GoalScoring.PROGRESS
    )


def has_text(question: dict) -> bool:
    return question["kind"] == QuestionKind.TEXT or bool(question.get("with_comment"))


def scale_choices(question: dict) -> list[tuple[str, str]]:
    levels = (question.get("scale") or {}).get("levels", [])
    return [(plain_value(level["value"]), level["label"]) for level in levels]


class ReviewAnswersForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_VERSION)

    def __init__(self, data: Any = None, *, items: list[tuple[dict, int]], **kwargs: Any) -> None:
        """`items`: the (question, item id) pairs the author answers, in page order."""
        super().__init__(data, **kwargs)
        self.items = items
        for question, item in items:
            key = answer_key(question["id"], item)
            if has_rating(question):
                self.fields[f"{key}_rating"] = forms.ChoiceField(
                    label=_("Rating"),
                    choices=scale_choices(question),
                    required=False,
                    widget=forms.RadioSelect,
                )
                self.fields[f"{key}_na"] = forms.BooleanField(
                    label=_("Not applicable"), required=False
                )
            if has_text(question):
                self.fields[f"{key}_text"] = forms.CharField(
                    label=_("Your answer")
                    if question["kind"] == QuestionKind.TEXT
                    else _("Comment"),
                    required=False,
                    max_length=MAX_TEXT,
                    strip=True,
                    widget=forms.Textarea(attrs={"rows": 4}),
                )
            self.fields[f"{key}_cite"] = forms.CharField(
                label=_("Evidence cited"),
                required=False,
                max_length=2000,
                widget=forms.HiddenInput,
            )

    def service_key_field(self, key: str) -> str:
        """The form field a service's error on answer `key` is shown on."""
        for suffix in ("rating", "text", "cite"):
            if f"{key}_{suffix}" in self.fields:
                return f"{key}_{suffix}"
        return key

    def answers(self) -> list[AnswerInput]:
        data = self.cleaned_data
        answers = []
        for question, item in self.items:
            key = answer_key(question["id"], item)
            citations = [c for c in (data.get(f"{key}_cite") or "").split(",") if c.strip()]
            answers.append(
                AnswerInput(
                    question_id=question["id"],
                    item_id=item,
                    rating=data.get(f"{key}_rating") or None,
                    not_applicable=bool(data.get(f"{key}_na")),
                    text=data.get(f"{key}_text") or "",
                    citations=[c.strip() for c in citations],
                )
            )
        return answers
