"""Calibration forms: open a session, set its target, adjust a person, move them on the
9-box. Every change form has a reason field: the service refuses a change without one."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from perfmgmt.tenancy.models import Team
from perfmgmt.tenancy.selectors import member_by_email

from ..models import Band, SessionGroup
from ..ninebox import BOX_NAMES
from ..services.calibration.sessions import REASON_MAX_LENGTH
from .cycles import PeopleByEmailField


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Reason"),
        required=False,  # the service says it is missing, the same way on every path
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the history and the audit log."),
    )


class SessionOpenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    group = forms.ChoiceField(
        label=_("Who is calibrated"), choices=SessionGroup.choices, widget=forms.RadioSelect
    )
    team = forms.ModelChoiceField(
        label=_("Team or department"), required=False, queryset=Team._base_manager.none()
    )
    leader_email = forms.EmailField(
        label=_("Manager (their email), for a manager's organization"), required=False
    )
    managers = PeopleByEmailField(
        label=_("Managers taking part (one email a line)"),
        required=False,
        help_text=_("Each reads and adjusts only the people they may already read."),
    )
    potential_question = forms.TypedChoiceField(
        label=_("Potential is read from"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, potential_choices: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        assert isinstance(team, forms.ModelChoiceField)
        team.queryset = Team.objects.order_by("name")
        potential = self.fields["potential_question"]
        assert isinstance(potential, forms.ChoiceField)
        potential.choices = [("", gettext("Set in the session")), *potential_choices]
        if potential_choices and not self.is_bound:
            self.initial.setdefault("potential_question", potential_choices[0][0])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email = (data.get("leader_email") or "").strip()
        data["leader"] = None
        if email:
            leader = member_by_email(email=email)
            if leader is None:
                self.add_error("leader_email", gettext("Nobody here has this email."))
            data["leader"] = leader
        return data


class TargetForm(forms.Form):
    """One percentage per level of the session's scale."""

    def __init__(self, *args: Any, levels: list[Decimal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for level in levels:
            key = str(level.normalize())
            self.fields[f"level_{key}"] = forms.IntegerField(
                label=_("Rating %(level)s (%%)") % {"level": key},
                required=False,
                min_value=0,
                max_value=100,
            )

    def shares(self) -> dict[str, Any]:
        return {
            name.removeprefix("level_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("level_")
        }


def _band_choices() -> list[tuple[int, Any]]:
    return list(Band.choices)


class AdjustForm(forms.Form):
    prefix = "adjust"  # the person's page shows both change forms: ids stay unique
    rating = forms.ChoiceField(label=_("Calibrated rating"))
    potential = forms.TypedChoiceField(
        label=_("Potential"), coerce=int, choices=_band_choices, required=False, empty_value=None
    )
    reason = _reason_field()
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, levels: list[Decimal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rating = self.fields["rating"]
        assert isinstance(rating, forms.ChoiceField)
        rating.choices = [(str(level.normalize()), str(level.normalize())) for level in levels]


def _box_choices() -> list[tuple[str, str]]:
    return [
        (
            f"{performance}-{potential}",
            f"{name} ({Band(performance).label} / {Band(potential).label})",
        )
        for (performance, potential), name in sorted(
            BOX_NAMES.items(), key=lambda item: (-item[0][1], item[0][0])
        )
    ]


class MoveForm(forms.Form):
    prefix = "move"
    box = forms.ChoiceField(
        label=_("Box (performance / potential)"),
        choices=_box_choices,
        widget=forms.RadioSelect,
    )
    reason = _reason_field()
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def bands(self) -> tuple[int, int]:
        performance, potential = self.cleaned_data["box"].split("-")
        return int(performance), int(potential)
