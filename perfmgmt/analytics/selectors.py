"""Reads of the analytics page: the reader's scope, the teams they may narrow it to, and
every registered metric's figures for that scope and period.

Who reads what is decided here and in `policies`, for the page and the export alike: a
reader who may not read analytics gets a 404, a team outside their reach is not a choice.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from perfmgmt.errors import NotFoundError
from perfmgmt.tenancy.models import Team
from perfmgmt.tenancy.policies import Actor, person_of
from perfmgmt.tenancy.selectors import teams_at_or_below

from . import policies
from .figures import Table
from .registry import Metric, registered
from .scope import DEFAULT_MONTHS, Period, Scope


def analytics_scope(*, actor: Actor, team: Team | None = None) -> Scope:
    """The figures `actor` reads: HR the organization, a manager their reporting line,
    narrowed to `team` (chosen from `team_choices`); a 404 for anyone else."""
    person = person_of(actor)
    if person is None or not policies.can_view_analytics(person):
        raise NotFoundError("No such page.")
    whole = policies.reads_whole_organization(person)
    return Scope(person.organization, person, whole_organization=whole, team=team)


def team_choices(*, actor: Actor) -> QuerySet[Team]:
    """The teams the reader may narrow the figures to: every team for HR, for a manager
    the teams of their line (a subquery on the stored line, not a list)."""
    person = person_of(actor)
    if person is None or not policies.can_view_analytics(person):
        return Team.objects.none()
    teams = Team.objects.order_by("name", "id")
    if policies.reads_whole_organization(person):
        return teams
    return teams.filter(pk__in=teams_at_or_below(manager=person))


def period_for(scope: Scope, months: int | None = None) -> Period:
    today = scope.organization.today(timezone.now())
    return Period.ending(today=today, months=months or DEFAULT_MONTHS, zone=scope.zone)


@dataclass(frozen=True)
class MetricFigures:
    metric: Metric
    tables: list[Table]


def metric_figures(*, scope: Scope, period: Period) -> list[MetricFigures]:
    """Every registered metric's tables, in page order (each a fixed number of
    statements)."""
    return [MetricFigures(metric, list(metric.compute(scope, period))) for metric in registered()]
