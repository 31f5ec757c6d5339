"""The evaluate stage's figures on the analytics page (see perfmgmt/analytics/registry.py):
review completion per cycle, and per cycle the distribution of final ratings and the mean
gap between the manager's and the person's own overall rating, by team.

Cycles are the launched ones whose period overlaps the months shown. Ratings are the
manager's final overall rating (calibrated once a session is locked) and the self-rating;
never a peer's or a direct report's, which are anonymous below a threshold. A manager reads
ratings of released reviews only; HR also of cycles not released yet. A team row of fewer
than `RATING_MINIMUM` rated people shows "-", and so does the cycle's total when the rows
held back hold fewer than that between them (it would give them away by subtraction).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from perfmgmt.analytics.figures import Figure, Row, Table, count, points, share, suppressed
from perfmgmt.analytics.registry import Metric, register
from perfmgmt.analytics.scope import Period, Scope
from perfmgmt.tenancy.models import Team

from .models import LAUNCHED_STATUSES, Participant, ReviewCycle, ReviewerKind, ReviewStatus
from .selectors.calibration import (
    SnapshotQuestions,
    final_and_self_ratings,
    snapshot_questions_of,
)

RATING_MINIMUM = 3
NO_TEAM = -1


def _cycles(period: Period) -> QuerySet[ReviewCycle]:
    return ReviewCycle.objects.filter(
        status__in=LAUNCHED_STATUSES,
        period_start__lt=period.end_day,
        period_end__gte=period.first,
    ).order_by("period_end", "name", "id")


def _open(kind: str, **also: Any) -> Q:
    return Q(reviews__kind=kind, reviews__superseded_at=None, **also)


def review_completion(scope: Scope, period: Period) -> list[Table]:
    """Per cycle: the people in scope invited, and the self-assessments and manager
    reviews submitted of those expected. One statement."""
    submitted = {"reviews__status": ReviewStatus.SUBMITTED}
    found = (
        Participant.objects.filter(scope.people_q("reviewee"), cycle__in=_cycles(period))
        .order_by()
        .values("cycle_id", "cycle__name", "cycle__period_end")
        .annotate(
            invited=Count("pk", distinct=True),
            self_done=Count("reviews", filter=_open(ReviewerKind.SELF, **submitted), distinct=True),
            managed=Count("reviews", filter=_open(ReviewerKind.MANAGER), distinct=True),
            manager_done=Count(
                "reviews", filter=_open(ReviewerKind.MANAGER, **submitted), distinct=True
            ),
        )
        .order_by("cycle__period_end", "cycle__name", "cycle_id")
    )
    rows = tuple(_completion_row(row) for row in found)
    columns = (
        _("Invited"),
        _("Self-assessments submitted"),
        _("Self-assessments"),
        _("Manager reviews expected"),
        _("Manager reviews submitted"),
        _("Manager reviews"),
    )
    return [Table("reviews", _("Review completion"), _("Cycle"), columns, rows, chart_column=5)]


def _completion_row(row: Mapping[str, Any]) -> Row:
    figures = (
        count(row["invited"]),
        count(row["self_done"]),
        share(row["self_done"], row["invited"]),
        count(row["managed"]),
        count(row["manager_done"]),
        share(row["manager_done"], row["managed"]),
    )
    return Row(row["cycle__name"], figures)


# Ratings by team ---------------------------------------------------------------------------


_RATINGS_SQL = """
SELECT r.cycle_id, r.team_id, r.snapshot_id, r.final_rating, count(*),
    sum(r.final_rating - r.self_rating) FILTER (WHERE r.self_rating IS NOT NULL),
    count(r.self_rating)
FROM ({participants}) AS r(cycle_id, team_id, snapshot_id, final_rating, self_rating)
WHERE r.final_rating IS NOT NULL
GROUP BY r.cycle_id, r.team_id, r.snapshot_id, r.final_rating
"""


@dataclass
class _Group:
    """One team's (or the cycle's) rated people: counts by level and the gap's parts."""

    counts: dict[Decimal, int] = field(default_factory=dict)
    gap_total: Decimal = Decimal(0)  # on 0..1 of each one's scale
    gap_people: int = 0

    @property
    def people(self) -> int:
        return sum(self.counts.values())

    def add(self, rating: Decimal, people: int, gap_sum: Any, gap_people: int, span: Decimal):
        self.counts[rating] = self.counts.get(rating, 0) + people
        if gap_people and span > 0:
            self.gap_total += Decimal(gap_sum) / span
            self.gap_people += gap_people


def _rating_rows(scope: Scope, cycles: QuerySet[ReviewCycle], questions: SnapshotQuestions):
    participants = final_and_self_ratings(cycles=cycles, questions=questions).filter(
        scope.people_q("reviewee")
    )
    if not scope.whole_organization:
        participants = participants.filter(released_at__isnull=False)
    columns = participants.order_by().values_list(
        "cycle_id", "reviewee__team_id", "snapshot_id", "final_rating", "self_rating"
    )
    sql, params = columns.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(_RATINGS_SQL.format(participants=sql), params)
        return cursor.fetchall()


class _Buckets:
    """Which row a person's team counts in: the team directly below the chosen team (the
    organization's top-level teams when none is chosen) that holds it, the chosen team
    itself, or "no team". Walks the organization's teams (one query), never the people."""

    def __init__(self, chosen: Team | None) -> None:
        self.chosen = chosen.pk if chosen is not None else None
        rows = Team.objects.values_list("id", "parent_id", "name")
        self.parent: dict[int | None, int | None] = {row[0]: row[1] for row in rows}
        self.names = {row[0]: row[2] for row in rows}
        self._found: dict[int | None, int] = {}

    def of(self, team_id: int | None) -> int:
        if team_id is None:
            return NO_TEAM
        if team_id not in self._found:
            here: int | None = team_id
            depth = 0
            while here != self.chosen and self.parent.get(here) != self.chosen and depth < 64:
                here, depth = self.parent.get(here), depth + 1
            self._found[team_id] = here if here is not None and depth < 64 else NO_TEAM
        return self._found[team_id]

    def label(self, bucket: int) -> str:
        if bucket == NO_TEAM:
            return _("No team")
        if bucket == self.chosen:
            return _("%(team)s (directly)") % {"team": self.names[bucket]}
        return self.names.get(bucket, "")


def _figures(group: _Group, levels: Sequence[Decimal]) -> tuple[Figure, ...]:
    gap = group.gap_total / group.gap_people if group.gap_people >= RATING_MINIMUM else None
    shown: list[Figure] = [count(group.people)]
    shown += [share(group.counts.get(level, 0), group.people) for level in levels]
    shown.append(points(gap) if gap is not None else suppressed())
    return tuple(shown)


def _hidden(levels: Sequence[Decimal]) -> tuple[Figure, ...]:
    return tuple(suppressed() for _ in range(len(levels) + 2))


def _total(groups: Iterable[_Group]) -> _Group:
    total = _Group()
    for group in groups:
        for rating, people in group.counts.items():
            total.counts[rating] = total.counts.get(rating, 0) + people
        total.gap_total += group.gap_total
        total.gap_people += group.gap_people
    return total


def _team_rows(groups: dict[int, _Group], buckets: _Buckets, levels: list[Decimal]) -> list[Row]:
    """The cycle's total, then a row per team by name ("no team" last). The total is held
    back too when the teams held back hold fewer than `RATING_MINIMUM` between them."""
    total = _total(groups.values())
    held_back = sum(group.people for group in groups.values() if group.people < RATING_MINIMUM)
    hide_total = total.people < RATING_MINIMUM or 0 < held_back < RATING_MINIMUM
    rows = [Row(_("Everyone"), _hidden(levels) if hide_total else _figures(total, levels))]
    for bucket in sorted(groups, key=lambda bucket: (bucket == NO_TEAM, buckets.label(bucket))):
        group = groups[bucket]
        figures = _hidden(levels) if group.people < RATING_MINIMUM else _figures(group, levels)
        rows.append(Row(buckets.label(bucket), figures))
    return rows


def _cycle_table(
    cycle: ReviewCycle, groups: dict[int, _Group], buckets: _Buckets, levels: list[Decimal]
) -> Table:
    columns = (
        _("People rated"),
        *(_("Rated %(level)s") % {"level": _level(level)} for level in levels),
        _("Mean gap (points)"),
    )
    note = _(
        "Shares of the people rated at each level of the final overall rating. Gap: the "
        "manager's rating minus the person's own, in points of the scale (positive: the "
        "manager rated higher). “-”: fewer than %(minimum)s people."
    ) % {"minimum": RATING_MINIMUM}
    return Table(
        f"ratings-{cycle.pk}",
        cycle.name,
        _("Team"),
        columns,
        tuple(_team_rows(groups, buckets, levels)),
        notes=(note,),
        chart_row=0,
        chart_columns=tuple(range(1, len(levels) + 1)),
    )


def _level(value: Decimal) -> str:
    """A level as people write it: 3, 2.5, 10 (never 1E+1)."""
    return format(Decimal(value).normalize(), "f")


def _levels(questions: SnapshotQuestions, snapshots: Iterable[int]) -> list[Decimal]:
    found: set[Decimal] = set()
    for snapshot in snapshots:
        found.update(questions.levels.get(snapshot, []))
    return sorted(found)


def rating_distributions(scope: Scope, period: Period) -> list[Table]:
    """Per cycle, by team: final ratings by level and the mean self/manager gap. Four
    statements: the cycles, their snapshots, the teams, the ratings grouped."""
    cycles = _cycles(period)
    listed = list(cycles)
    if not listed:
        return []
    questions = snapshot_questions_of(cycle_ids=[c.pk for c in listed], potential_question_id=None)
    buckets = _Buckets(scope.team)
    groups: dict[int, dict[int, _Group]] = {}
    snapshots_of: dict[int, set[int]] = {}
    for cycle_id, team_id, snapshot_id, rating, people, gap_sum, gap_people in _rating_rows(
        scope, cycles, questions
    ):
        levels = questions.levels.get(snapshot_id, [])
        span = (levels[-1] - levels[0]) if len(levels) >= 2 else Decimal(0)
        group = groups.setdefault(cycle_id, {}).setdefault(buckets.of(team_id), _Group())
        group.add(Decimal(rating), people, gap_sum, gap_people, span)
        snapshots_of.setdefault(cycle_id, set()).add(snapshot_id)
    return [
        _cycle_table(cycle, groups[cycle.pk], buckets, _levels(questions, snapshots_of[cycle.pk]))
        for cycle in listed
        if cycle.pk in groups
    ]


register(
    Metric(
        key="reviews",
        title=gettext_lazy("Review completion"),
        description=gettext_lazy(
            "Per review cycle whose period overlaps these months: the people invited, and the "
            "self-assessments and manager reviews submitted."
        ),
        compute=review_completion,
        order=50,
    ),
    Metric(
        key="ratings",
        title=gettext_lazy("Ratings and self/manager gaps by team"),
        description=gettext_lazy(
            "Per review cycle: how the final overall ratings are spread, and how far the "
            "manager's rating is from the person's own, for each team directly below the "
            "chosen one. Managers see released reviews only."
        ),
        compute=rating_distributions,
        order=60,
    ),
)
