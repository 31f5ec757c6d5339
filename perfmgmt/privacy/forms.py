from django import forms
from django.utils.translation import gettext_lazy as _


class ErasureForm(forms.Form):
    TEXT_CHOICES = [
        ("blank", _("Blank the texts this person wrote")),
        ("keep", _("Keep the texts this person wrote (their name is removed)")),
    ]

    texts = forms.ChoiceField(
        label=_("Texts written by this person"),
        choices=TEXT_CHOICES,
        widget=forms.RadioSelect,
        initial="blank",
    )
    confirmation = forms.CharField(
        label=_("Type the person's name or email to confirm"),
        max_length=320,
        help_text=_("This cannot be undone."),
    )
