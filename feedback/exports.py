"""The check-in coverage export: per person in the reader's reach, for a period, how many
check-ins were expected, how many were submitted, the last one, and how many are overdue.

It counts and dates check-ins; it never reads their answers, scores or replies. The people
are the reader's reach (`perfmgmt.exports.reading_line`: HR the organization, a manager
their reporting line). "Expected" follows the cadence each person is reminded by
(`selectors.cadence_for`, `selectors.reminded_from`, the periods of `periods.py`): the
periods of a configured cadence whose due day falls in the period and has come, from the
person's first whole period on. A period is overdue when its due day has passed and no
submitted check-in covers it. Each chunk of people is one statement (their figures are
correlated subqueries); the cadences are read once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goals.exports import PeriodField
from goals.selectors import period_bounds
from perfmgmt.exports import Export, ExportForm, PersonField, manages_anyone, reading_line, register
from perfmgmt.localization import format_moment
from perfmgmt.tenancy.models import Membership, MembershipStatus, Team
from perfmgmt.tenancy.policies import Actor

from .models import CheckIn, CheckInStatus
from .periods import cadence_period, due_date
from .selectors import cadence_on_day, cadences_by_team, local_today, reminded_from
from .selectors.cadences import Cadences

CHUNK = 500


class CheckInCoverageForm(ExportForm):
    person = PersonField()
    team = forms.ModelChoiceField(
        label=gettext_lazy("Team"), queryset=Team._base_manager.none(), required=False
    )
    period = PeriodField(help_text=gettext_lazy("Default: this quarter. 2026, 2026-Q4, 2026-11."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.order_by("name")  # type: ignore[attr-defined]


def this_quarter(today: date) -> tuple[date, date]:
    return period_bounds(f"{today.year}-Q{(today.month - 1) // 3 + 1}")


def period_label(window: tuple[date, date]) -> str:
    return _("%(start)s to %(end)s") % {
        "start": window[0].isoformat(),
        "end": window[1].isoformat(),
    }


def _submitted(window: tuple[date, date]) -> QuerySet[CheckIn]:
    """The person's submitted check-ins whose due day is in the window (drafts are theirs)."""
    return CheckIn.objects.filter(
        person=OuterRef("pk"), due_on__gte=window[0], due_on__lte=window[1]
    ).exclude(status=CheckInStatus.DRAFT)


def _people(actor: Actor, window: tuple[date, date]) -> QuerySet[Any]:
    submitted = _submitted(window).order_by().values("person")
    latest = CheckIn.objects.filter(person=OuterRef("pk")).exclude(status=CheckInStatus.DRAFT)
    return (
        Membership.objects.exclude(status=MembershipStatus.LEFT)
        .filter(reading_line(actor, "pk"))
        .select_related("user", "team", "manager__user", "organization")
        .annotate(
            submitted=Coalesce(Subquery(submitted.annotate(n=Count("pk")).values("n")), 0),
            covered_starts=Subquery(
                submitted.annotate(days=ArrayAgg("period_start", order_by="pk")).values("days")
            ),
            covered_ends=Subquery(
                submitted.annotate(days=ArrayAgg("period_end", order_by="pk")).values("days")
            ),
            last_submitted=Subquery(
                latest.order_by().values("person").annotate(m=Max("submitted_at")).values("m")
            ),
        )
    )


@dataclass(frozen=True)
class Coverage:
    expected: int
    overdue: int


def coverage(person: Any, window: tuple[date, date], today: date, cadences: Cadences) -> Coverage:
    """Expected and overdue periods of one person (see the module)."""
    covered = list(zip(person.covered_starts or [], person.covered_ends or [], strict=True))
    day = max(window[0], reminded_from(person, person.organization.zone, cadences))
    expected = overdue = 0
    while day <= window[1] and day <= today:
        cadence = cadence_on_day(team_id=person.team_id, day=day, cadences=cadences)
        start, end = cadence_period(cadence, day)
        due = due_date(start, end, cadence.due_weekday)
        if cadence.configured and window[0] <= due <= min(window[1], today):
            expected += 1
            if due < today and not any(first <= due <= last for first, last in covered):
                overdue += 1
        day = end + timedelta(days=1)
    return Coverage(expected, overdue)


def _header() -> list[str]:
    return [
        _("Person"),
        _("Team"),
        _("Manager"),
        _("Period"),
        _("Expected check-ins"),
        _("Submitted"),
        _("Last submitted"),
        _("Overdue"),
    ]


def checkin_coverage_rows(
    *,
    actor: Actor,
    person: Membership | None = None,
    team: Team | None = None,
    period: tuple[date, date] | None = None,
) -> Iterator[Sequence[object]]:
    yield _header()
    cadences = cadences_by_team()
    today = local_today(actor.organization, timezone.now())
    window = period or this_quarter(today)
    people = _people(actor, window)
    if person is not None:
        people = people.filter(pk=person.pk)
    if team is not None:
        people = people.filter(team=team)
    label = period_label(window)
    for someone in people.order_by("full_name", "pk").iterator(CHUNK):
        figures = coverage(someone, window, today, cadences)
        yield [
            someone.display_name,
            someone.team.name if someone.team else "",
            someone.manager.display_name if someone.manager else "",
            label,
            figures.expected,
            someone.submitted,
            format_moment(someone.last_submitted),
            figures.overdue,
        ]


CHECKIN_COVERAGE_EXPORT = Export(
    key="checkin-coverage",
    label=gettext_lazy("Check-in coverage"),
    description=gettext_lazy(
        "Per person in your reporting line (HR: the organization): check-ins expected, "
        "submitted, the last one and those overdue in a period. No answers."
    ),
    form=CheckInCoverageForm,
    rows=checkin_coverage_rows,
    visible=manages_anyone,
    order=20,
)

register(CHECKIN_COVERAGE_EXPORT)
