"""The 1:1 coverage export: per manager-report pair (a 1:1 series) in the reader's reach,
the meetings held in a period, the last one, the days since it and the open action items.

Only counts and dates: no agenda, no shared or private notes, no action item text. The
pairs are the series whose report is in the reader's reach (`perfmgmt.exports.reading_line`:
HR and keys with `one_on_ones:read` the organization, a manager their reporting line).
Each chunk of series is one statement: its figures are correlated subqueries.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any

from django import forms
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from feedback.exports import period_label, this_quarter
from feedback.selectors import local_today
from goals.exports import PeriodField
from perfmgmt.exports import Export, ExportForm, PersonField, manages_anyone, reading_line, register
from perfmgmt.localization import format_moment
from perfmgmt.tenancy.models import Membership, Team
from perfmgmt.tenancy.policies import Actor, person_of

from .models import ActionItem, Meeting, MeetingStatus, OneOnOneSeries
from .policies import READ_SCOPE
from .selectors import _count

CHUNK = 500


class OneOnOneCoverageForm(ExportForm):
    person = PersonField(
        label=gettext_lazy("Report (email)"), help_text=gettext_lazy("Their 1:1s as report.")
    )
    team = forms.ModelChoiceField(
        label=gettext_lazy("Report's team"), queryset=Team._base_manager.none(), required=False
    )
    period = PeriodField(help_text=gettext_lazy("Default: this quarter. 2026, 2026-Q4, 2026-11."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.order_by("name")  # type: ignore[attr-defined]


def _pairs(actor: Actor, window: tuple[date, date], now: datetime) -> QuerySet[Any]:
    start, end = actor.organization.days(*window)
    done = Meeting.objects.filter(series=OuterRef("pk"), status=MeetingStatus.DONE)
    last = done.filter(scheduled_for__lte=now).order_by("-scheduled_for")
    return (
        OneOnOneSeries.objects.filter(reading_line(actor, "report_id"))
        .select_related("manager__user", "report__user", "report__team")
        .annotate(
            held=_count(done.filter(scheduled_for__gte=start, scheduled_for__lt=end)),
            last_meeting=Subquery(last.values("scheduled_for")[:1]),
            open_items=_count(
                ActionItem.objects.filter(series=OuterRef("pk"), done_at__isnull=True)
            ),
        )
    )


def _header() -> list[str]:
    return [
        _("Manager"),
        _("Report"),
        _("Report's team"),
        _("Period"),
        _("Meetings held"),
        _("Last meeting"),
        _("Days since"),
        _("Open action items"),
    ]


def one_on_one_coverage_rows(
    *,
    actor: Actor,
    person: Membership | None = None,
    team: Team | None = None,
    period: tuple[date, date] | None = None,
) -> Iterator[Sequence[object]]:
    yield _header()
    now = timezone.now()
    window = period or this_quarter(local_today(actor.organization, now))
    pairs = _pairs(actor, window, now)
    reader = person_of(actor)
    if reader is not None and not reader.is_hr:
        pairs = pairs.exclude(report=reader)  # their own 1:1s with their managers: not their line
    if person is not None:
        pairs = pairs.filter(report=person)
    if team is not None:
        pairs = pairs.filter(report__team=team)
    label = period_label(window)
    ordered = pairs.order_by("manager__full_name", "report__full_name", "pk")
    for series in ordered.iterator(CHUNK):
        last = series.last_meeting
        yield [
            series.manager.display_name,
            series.report.display_name,
            series.report.team.name if series.report.team else "",
            label,
            series.held,
            format_moment(last),
            (now - last).days if last else "",
            series.open_items,
        ]


def can_export_coverage(actor: Actor) -> bool:
    if actor.is_api_client:
        return bool(actor.has_scope(READ_SCOPE))
    return manages_anyone(actor)


ONE_ON_ONE_COVERAGE_EXPORT = Export(
    key="one-on-one-coverage",
    label=gettext_lazy("1:1 coverage"),
    description=gettext_lazy(
        "Per manager and report in your reporting line (HR: the organization): 1:1s held "
        "in a period, the last one, days since and open action items. No notes."
    ),
    form=OneOnOneCoverageForm,
    rows=one_on_one_coverage_rows,
    visible=can_export_coverage,
    order=30,
)

register(ONE_ON_ONE_COVERAGE_EXPORT)
