"""Forms of the cycle pages. Days and times are entered in the organization's zone; the
services convert them (`reviews.phases.local_instant`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from perfmgmt.tenancy.context import current_organization
from perfmgmt.tenancy.models import Membership, MembershipStatus, Team
from perfmgmt.tenancy.selectors import member_by_email

from ..models import (
    PHASE_ORDER,
    CycleGroupTemplate,
    CyclePhase,
    CycleSelection,
    CycleTeam,
    PhaseKind,
    ReviewCycle,
    ReviewerKind,
    ReviewTemplate,
)
from ..phases import local_instant
from ..selectors.setup import review_template_list
from ..services.cycles.configure import ALLOWED_STATUSES, DEFAULT_STATUSES, CycleRules, PhaseInput

GROUP_ROWS = 3
STATUS_LABELS = {
    MembershipStatus.ACTIVE: _("Active"),
    MembershipStatus.ON_LEAVE: _("On leave"),
    MembershipStatus.LEFT: _("Left"),
}


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _time_input() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class PeopleByEmailField(forms.CharField):
    """People named by their email, one a line (a page never lists the whole organization)."""

    widget = forms.Textarea(attrs={"rows": 2})

    def clean(self, value: Any) -> list[Membership]:
        text = super().clean(value) or ""
        emails = {line.strip().lower() for line in text.splitlines() if line.strip()}
        if not emails:
            return []
        people = list(Membership.objects.filter(user__email__in=emails).select_related("user"))
        unknown = emails - {person.email.lower() for person in people}
        if unknown:
            raise forms.ValidationError(
                gettext("Nobody here has this email: %(emails)s")
                % {"emails": ", ".join(sorted(unknown))}
            )
        return people


class CycleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    period_start = forms.DateField(label=_("Evidence from"), widget=_date_input())
    period_end = forms.DateField(label=_("Evidence until"), widget=_date_input())
    template = forms.ModelChoiceField(
        label=_("Template"), queryset=ReviewTemplate._base_manager.none()
    )
    teams = forms.ModelMultipleChoiceField(
        label=_("Teams or departments"),
        required=False,
        queryset=Team._base_manager.none(),
        help_text=_("Empty: everyone. A department includes its teams."),
        widget=forms.CheckboxSelectMultiple,
    )
    started_on_or_before = forms.DateField(
        label=_("Started on or before"), required=False, widget=_date_input()
    )
    statuses = forms.MultipleChoiceField(
        label=_("Membership statuses"),
        choices=[(status.value, STATUS_LABELS[status]) for status in ALLOWED_STATUSES],
        initial=list(DEFAULT_STATUSES),
        widget=forms.CheckboxSelectMultiple,
    )
    include = PeopleByEmailField(label=_("Also include (emails, one a line)"), required=False)
    exclude = PeopleByEmailField(label=_("Leave out (emails, one a line)"), required=False)
    remind_days_before_close = forms.IntegerField(
        label=_("Remind this many days before a phase closes"), min_value=0, max_value=60, initial=3
    )

    def __init__(self, *args: Any, cycle: ReviewCycle | None = None, **kwargs: Any) -> None:
        if cycle is not None and "initial" not in kwargs:
            kwargs["initial"] = cycle_initial(cycle)
        super().__init__(*args, **kwargs)
        templates = review_template_list()
        teams = Team.objects.order_by("name")
        self.fields["template"].queryset = templates  # type: ignore[attr-defined]
        self.fields["teams"].queryset = teams  # type: ignore[attr-defined]
        for number in range(1, GROUP_ROWS + 1):
            self.fields[f"group_{number}_team"] = forms.ModelChoiceField(
                label=gettext("Group %(number)d: team or department") % {"number": number},
                queryset=teams,
                required=False,
            )
            self.fields[f"group_{number}_template"] = forms.ModelChoiceField(
                label=gettext("Group %(number)d: template") % {"number": number},
                queryset=templates,
                required=False,
            )

    @property
    def group_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"group_{number}_team"], self[f"group_{number}_template"])
            for number in range(1, GROUP_ROWS + 1)
        ]

    @property
    def main_fields(self) -> list[forms.BoundField]:
        names = ["name", "description", "period_start", "period_end", "template"]
        return [self[name] for name in names]

    @property
    def rule_fields(self) -> list[forms.BoundField]:
        names = ["teams", "started_on_or_before", "statuses", "include", "exclude"]
        return [self[name] for name in names]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for number in range(1, GROUP_ROWS + 1):
            team, template = data.get(f"group_{number}_team"), data.get(f"group_{number}_template")
            if (team is None) != (template is None):
                self.add_error(
                    f"group_{number}_template" if team else f"group_{number}_team",
                    gettext("Choose both a team and a template, or neither."),
                )
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        groups = [
            (data[f"group_{n}_team"], data[f"group_{n}_template"])
            for n in range(1, GROUP_ROWS + 1)
            if data.get(f"group_{n}_team") is not None
        ]
        return {
            "name": data["name"],
            "description": data.get("description") or "",
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "template": data["template"],
            "remind_days_before_close": data["remind_days_before_close"],
            "rules": CycleRules(
                teams=list(data.get("teams") or []),
                started_on_or_before=data.get("started_on_or_before"),
                statuses=data["statuses"],
                include=data.get("include") or [],
                exclude=data.get("exclude") or [],
                group_templates=groups,
            ),
        }


def cycle_initial(cycle: ReviewCycle) -> dict[str, Any]:
    selections = CycleSelection.objects.filter(cycle=cycle).select_related("membership__user")
    initial: dict[str, Any] = {
        "name": cycle.name,
        "description": cycle.description,
        "period_start": cycle.period_start,
        "period_end": cycle.period_end,
        "template": cycle.template_id,
        "teams": list(CycleTeam.objects.filter(cycle=cycle).values_list("team_id", flat=True)),
        "started_on_or_before": cycle.started_on_or_before,
        "statuses": cycle.statuses or list(DEFAULT_STATUSES),
        "include": "\n".join(s.membership.email for s in selections if s.included),
        "exclude": "\n".join(s.membership.email for s in selections if not s.included),
        "remind_days_before_close": cycle.remind_days_before_close,
    }
    groups = CycleGroupTemplate.objects.filter(cycle=cycle).order_by("id")[:GROUP_ROWS]
    for number, group in enumerate(groups, start=1):
        initial[f"group_{number}_team"] = group.team_id
        initial[f"group_{number}_template"] = group.template_id
    return initial


PHASE_PARTS = ("opens_on", "opens_time", "closes_on", "closes_time")


class PhasesForm(forms.Form):
    """Each phase's opening and closing as a day and a time in the organization's zone; a
    phase left empty is not part of the cycle."""

    def __init__(self, *args: Any, phases: list[CyclePhase] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        zone = current_organization().zone
        initial = kwargs.setdefault("initial", {})
        for phase in phases:
            opens, closes = phase.opens_at.astimezone(zone), phase.closes_at.astimezone(zone)
            initial[f"{phase.kind}_opens_on"] = opens.date()
            initial[f"{phase.kind}_opens_time"] = opens.time()
            initial[f"{phase.kind}_closes_on"] = closes.date()
            initial[f"{phase.kind}_closes_time"] = closes.time()
        super().__init__(*args, **kwargs)
        self.zone_name = str(zone)
        for kind in PHASE_ORDER:
            label = PhaseKind(kind).label
            words = {"phase": label, "zone": self.zone_name}
            self.fields[f"{kind}_opens_on"] = forms.DateField(
                label=gettext("%(phase)s opens on (%(zone)s)") % words,
                required=False,
                widget=_date_input(),
            )
            self.fields[f"{kind}_opens_time"] = forms.TimeField(
                label=gettext("%(phase)s opens at (%(zone)s)") % words,
                required=False,
                widget=_time_input(),
            )
            self.fields[f"{kind}_closes_on"] = forms.DateField(
                label=gettext("%(phase)s closes on (%(zone)s)") % words,
                required=False,
                widget=_date_input(),
            )
            self.fields[f"{kind}_closes_time"] = forms.TimeField(
                label=gettext("%(phase)s closes at (%(zone)s)") % words,
                required=False,
                widget=_time_input(),
            )

    @property
    def phase_rows(self) -> list[tuple[str, Any, list[forms.BoundField]]]:
        return [
            (kind, PhaseKind(kind).label, [self[f"{kind}_{part}"] for part in PHASE_PARTS])
            for kind in PHASE_ORDER
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for kind in PHASE_ORDER:
            given = [data.get(f"{kind}_{part}") is not None for part in PHASE_PARTS]
            if any(given) and not all(given):
                self.add_error(f"{kind}_opens_on", gettext("Give both days and both times."))
        return data

    def phases(self) -> list[PhaseInput]:
        data = self.cleaned_data
        return [
            PhaseInput(kind, *(data[f"{kind}_{part}"] for part in PHASE_PARTS))
            for kind in PHASE_ORDER
            if data.get(f"{kind}_opens_on") is not None
        ]


class LocalMomentForm(forms.Form):
    """A day and a time in the organization's zone, as an instant."""

    until_day = forms.DateField(label=_("Until (day)"), widget=_date_input())
    until_time = forms.TimeField(label=_("Until (time)"), widget=_time_input())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone = str(current_organization().zone)
        self.fields["until_day"].label = gettext("Until (day, %(zone)s)") % {"zone": zone}
        self.fields["until_time"].label = gettext("Until (time, %(zone)s)") % {"zone": zone}

    def until(self) -> datetime:
        data = self.cleaned_data
        return local_instant(data["until_day"], data["until_time"], current_organization().zone)


class ExtendForm(LocalMomentForm):
    kind = forms.ChoiceField(
        label=_("Deadline"),
        choices=[
            (ReviewerKind.SELF.value, _("Self-assessment")),
            (ReviewerKind.MANAGER.value, _("Manager review")),
        ],
    )
    field_order = ["kind", "until_day", "until_time"]


class ReopenForm(LocalMomentForm):
    review = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["review", "reason", "until_day", "until_time"]


class PersonForm(forms.Form):
    """One person of the organization, by email."""

    email = forms.EmailField(label=_("Email"))

    def person(self) -> Membership:
        return self.cleaned_data["membership"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email = (data.get("email") or "").strip()
        if email:
            person = member_by_email(email=email)
            if person is None:
                self.add_error("email", gettext("Nobody here has this email."))
            else:
                data["membership"] = person
        return data
