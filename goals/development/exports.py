"""The development plans export: one row per plan the reader may read, with its objectives'
count and progress, its actions by status and the competencies it builds.

Plans come from `selectors.plan_list` (the plans pages' reader, with its visibility rule),
narrowed to the reader's reach (`perfmgmt.exports.reading_line`). Each chunk of plans is
one statement (counts are correlated subqueries) and one prefetch of their competencies.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django import forms
from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goals.exports import day
from perfmgmt.exports import Export, ExportForm, PersonField, reading_line, register
from perfmgmt.localization import format_moment
from perfmgmt.tenancy.models import Membership, Team
from perfmgmt.tenancy.policies import Actor

from . import selectors
from .models import ActionStatus, DevelopmentAction, DevelopmentPlan, PlanCompetency, PlanStatus
from .policies import READ_SCOPE

CHUNK = 500


class PlanExportForm(ExportForm):
    person = PersonField()
    team = forms.ModelChoiceField(
        label=gettext_lazy("Team"), queryset=Team._base_manager.none(), required=False
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["status"].choices = [("", _("Any status")), *PlanStatus.choices]  # type: ignore[attr-defined]


def _actions_in(status: str) -> Coalesce:
    actions = DevelopmentAction.objects.filter(plan=OuterRef("pk"), status=status)
    counted = actions.order_by().values("plan_id").annotate(number=Count("pk")).values("number")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _plans(actor: Actor, **filters: Any) -> QuerySet[DevelopmentPlan]:
    competencies = PlanCompetency.objects.select_related("competency", "target_level")
    return (
        selectors.plan_list(actor=actor, **filters)
        .filter(reading_line(actor, "person_id"))
        .annotate(**{f"actions_{status}": _actions_in(status) for status in ActionStatus.values})
        .prefetch_related(Prefetch("plan_competencies", queryset=competencies))
    )


def _competency(item: PlanCompetency) -> str:
    if item.target_level is None:
        return item.competency.name
    return f"{item.competency.name} ({item.target_level.name})"


def _header() -> list[str]:
    return [
        _("Person"),
        _("Team"),
        _("Period"),
        _("Start"),
        _("End"),
        _("Status"),
        _("Objectives"),
        _("Objective progress (%)"),
        *(str(label) for label in ActionStatus.labels),
        _("Competencies"),
        _("Agreed by"),
        _("Agreed at"),
    ]


def plan_rows(
    *,
    actor: Actor,
    person: Membership | None = None,
    team: Team | None = None,
    status: str = "",
) -> Iterator[Sequence[object]]:
    yield _header()
    plans = _plans(
        actor,
        person_id=person.pk if person else None,
        team_id=team.pk if team else None,
        status=status or None,
    )
    for plan in plans.order_by("person__full_name", "-period_start", "pk").iterator(CHUNK):
        progress = selectors.plan_progress(plan=plan)
        yield [
            plan.person.display_name,
            plan.person.team.name if plan.person.team else "",
            plan.period,
            day(plan.period_start),
            day(plan.period_end),
            PlanStatus(plan.status).label,
            progress.objective_count,
            "" if progress.objective_percent is None else progress.objective_percent,
            *(getattr(plan, f"actions_{status}") for status in ActionStatus.values),
            "; ".join(_competency(item) for item in plan.plan_competencies.all()),
            plan.agreed_by.display_name if plan.agreed_by else "",
            format_moment(plan.agreed_at),
        ]


def can_export_plans(actor: Actor) -> bool:
    return not actor.is_api_client or bool(actor.has_scope(READ_SCOPE))


PLANS_EXPORT = Export(
    key="development-plans",
    label=gettext_lazy("Development plans"),
    description=gettext_lazy(
        "Your plans and your reporting line's (HR: the organization's): objectives and "
        "their progress, actions by status, competencies."
    ),
    form=PlanExportForm,
    rows=plan_rows,
    visible=can_export_plans,
    order=40,
)

register(PLANS_EXPORT)
