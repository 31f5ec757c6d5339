"""Forms of peer and upward feedback: the cycle's settings, nominating, declining."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..services.peers.nominations import MAX_REASON
from ..services.peers.settings import HIGHEST_THRESHOLD, MOST_PEERS, PeerSettings
from .cycles import PeopleByEmailField


class PeerSettingsForm(forms.Form):
    peer_minimum = forms.IntegerField(
        label=_("Fewest peers per person"), min_value=0, max_value=MOST_PEERS
    )
    peer_maximum = forms.IntegerField(
        label=_("Most peers per person"), min_value=1, max_value=MOST_PEERS
    )
    anonymity_threshold = forms.IntegerField(
        label=_("Answers needed before any is shown (K)"),
        min_value=2,
        max_value=HIGHEST_THRESHOLD,
        help_text=_("Below this many answers of a kind, the group shows 'not enough responses'."),
    )
    peers_anonymous = forms.TypedChoiceField(
        label=_("Peer and upward feedback is"),
        choices=[
            ("1", _("Anonymous: answers are shown combined, never with a name")),
            ("0", _("Named: answers are shown with their author's name")),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    upward_reviews = forms.BooleanField(
        label=_("Direct reports who take part give their manager upward feedback"),
        required=False,
    )

    def settings(self) -> PeerSettings:
        data = self.cleaned_data
        return PeerSettings(
            minimum=data["peer_minimum"],
            maximum=data["peer_maximum"],
            threshold=data["anonymity_threshold"],
            anonymous=data["peers_anonymous"],
            upward=data["upward_reviews"],
        )


class NominateForm(forms.Form):
    peers = PeopleByEmailField(label=_("Peers (emails, one a line)"))


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you decline"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
