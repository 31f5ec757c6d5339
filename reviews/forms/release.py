"""The reviewee's comment on a released review."""

from __future__ import annotations

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
