"""The reviewee's comment on a released review, and HR's correction of one of its answers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..services.release import COMMENT_MAX_LENGTH


class ReviewCommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Your manager and HR read it. You can change it until you acknowledge."),
    )


class AnswerCorrectionForm(forms.Form):
    """HR's correction of one answer of a released review (levels of the question's scale)."""

    rating = forms.ChoiceField(label=_("Rating"), required=False)
    not_applicable = forms.BooleanField(label=_("Not applicable"), required=False)
    text = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(
        label=_("Why it is corrected"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the audit log and sent to the person reviewed."),
    )

    def __init__(self, *args: Any, levels: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rating = self.fields["rating"]
        assert isinstance(rating, forms.ChoiceField)
        rating.choices = [("", _("No rating"))] + [
            (str(Decimal(level["value"]).normalize()), f"{level['label']} ({level['value']})")
            for level in levels
        ]
