"""The goals export: the reader's visible goals, one row each.

Rows come from `selectors.goal_list` (what the goals pages list, with its visibility rule),
narrowed to the reader's reach (`perfmgmt.exports.reading_line`: HR and systems the
organization, a manager their reporting line, anyone else their own goals). Goals are read
in chunks with their owners and agreeing person joined and the readable parents prefetched:
a fixed number of queries per chunk, whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from perfmgmt.api.models import Scope
from perfmgmt.exports import Export, ExportForm, PersonField, reading_line, register
from perfmgmt.localization import format_moment
from perfmgmt.tenancy.models import Team
from perfmgmt.tenancy.policies import Actor

from .models import Goal, GoalStatus, GoalType
from .selectors import goal_list, period_bounds

CHUNK = 500


def plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def day(value: date | None) -> str:
    return value.isoformat() if value else ""


class PeriodField(forms.CharField):
    """A year, quarter or month (2026, 2026-Q4, 2026-11) as its first and last day."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", gettext_lazy("Period"))
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text", gettext_lazy("A year (2026), a quarter (2026-Q4) or a month (2026-11).")
        )
        kwargs.setdefault("max_length", 7)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> tuple[date, date] | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return period_bounds(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class GoalExportForm(ExportForm):
    person = PersonField()
    team = forms.ModelChoiceField(
        label=gettext_lazy("Team"), queryset=Team._base_manager.none(), required=False
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    period = PeriodField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["status"].choices = [("", _("Any status")), *GoalStatus.choices]  # type: ignore[attr-defined]


def _header() -> list[str]:
    return [
        _("Owner"),
        _("Title"),
        _("Type"),
        _("Status"),
        _("Progress (%)"),
        _("Start value"),
        _("Target value"),
        _("Current value"),
        _("Unit"),
        _("Start date"),
        _("Due date"),
        _("Agreed by"),
        _("Agreed at"),
        _("Supports"),
    ]


def _row(goal: Goal) -> list[object]:
    return [
        goal.owner_name,
        goal.title,
        GoalType(goal.goal_type).label,
        GoalStatus(goal.status).label,
        goal.progress_percent,
        plain(goal.start_value),
        plain(goal.target_value),
        plain(goal.current_value),
        goal.unit,
        day(goal.start_date),
        day(goal.due_date),
        goal.agreed_by.display_name if goal.agreed_by else "",
        format_moment(goal.agreed_at),
        goal.parent.title if goal.parent else "",  # only a parent the reader may read
    ]


def goal_rows(
    *,
    actor: Actor,
    person: Any = None,
    team: Team | None = None,
    status: str = "",
    period: tuple[date, date] | None = None,
) -> Iterator[Sequence[object]]:
    """The header, then one row per goal the reader may export (see the module)."""
    yield _header()
    goals = goal_list(
        actor=actor,
        owner_id=person.pk if person else None,
        team_id=team.pk if team else None,
        status=status or None,
        period=period,
    ).filter(reading_line(actor, "owner_person_id"))
    for goal in goals.order_by("owner_person__full_name", "title", "pk").iterator(CHUNK):
        yield _row(goal)


def can_export_goals(actor: Actor) -> bool:
    return not actor.is_api_client or bool(actor.has_scope(Scope.GOALS_READ))


GOALS_EXPORT = Export(
    key="goals",
    label=gettext_lazy("Goals"),
    description=gettext_lazy(
        "The goals you may read: yours, and your reporting line's (HR: the organization's)."
    ),
    form=GoalExportForm,
    rows=goal_rows,
    visible=can_export_goals,
    order=10,
)

register(GOALS_EXPORT)
