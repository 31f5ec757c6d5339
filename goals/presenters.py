"""Sentences the goal pages show about a goal, and the rows of the goal lists, built from
what the selectors returned."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import TextChoices
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from perfmgmt.localization import format_day
from perfmgmt.tenancy.models import Organization

from .models import Confidence, Goal, GoalStatus, GoalType, OwnerKind
from .services.progress import Basis, ProgressBreakdown


def _amount(value: str, unit: str) -> str:
    return f"{value} {unit}" if unit else value


def _supporting_beside(shown: int) -> str:
    total = shown
    if not total:
        return ""
    return ngettext(
        "The %(count)s goal supporting it is listed below with its own progress; it does "
        "not change this figure.",
        "The %(count)s goals supporting it are listed below with their own progress; they "
        "do not change this figure.",
        total,
    ) % {"count": total}


def _left_out(breakdown: ProgressBreakdown) -> str:
    parts = []
    if breakdown.children_not_agreed:
        parts.append(_("%(count)s not agreed yet") % {"count": breakdown.children_not_agreed})
    if breakdown.children_cancelled:
        parts.append(_("%(count)s cancelled") % {"count": breakdown.children_cancelled})
    if not parts:
        return ""
    return _("Left out: %(parts)s.") % {"parts": ", ".join(parts)}


def progress_explanation(goal: Goal, breakdown: ProgressBreakdown, *, shown_below: int) -> str:
    """How the goal's progress figure was computed, in a sentence or two. `shown_below`:
    how many goals supporting it the page lists (those its reader may see)."""
    if breakdown.basis == Basis.COMPLETED:
        return _("The goal is completed, so it is at 100%.")
    if breakdown.basis == Basis.MEASURE:
        first = _("From its own measure: now %(now)s, on the way from %(start)s to %(target)s.") % {
            "now": _amount(goal.current_display, goal.unit),
            "start": _amount(goal.start_display, goal.unit),
            "target": _amount(goal.target_display, goal.unit),
        }
        return " ".join(part for part in (first, _supporting_beside(shown_below)) if part)
    if breakdown.basis == Basis.MILESTONES:
        first = ngettext(
            "From its own milestones: %(done)s of %(count)s done.",
            "From its own milestones: %(done)s of %(count)s done.",
            breakdown.milestones_total,
        ) % {"done": breakdown.milestones_done, "count": breakdown.milestones_total}
        return " ".join(part for part in (first, _supporting_beside(shown_below)) if part)
    left_out = _left_out(breakdown)
    if breakdown.basis == Basis.CHILDREN:
        first = ngettext(
            "It has no measure of its own: this is the progress of the goal supporting it "
            "(at most 100%%).",
            "It has no measure of its own: this is the weighted mean progress of the "
            "%(counted)s of %(count)s goals supporting it that count, each at most 100%%.",
            breakdown.children_total,
        ) % {"counted": breakdown.children_counted, "count": breakdown.children_total}
        return " ".join(part for part in (first, left_out) if part)
    if breakdown.children_total:
        first = _(
            "It has no measure of its own and none of the goals supporting it counts yet, so "
            "it is at 0%."
        )
        return " ".join(part for part in (first, left_out) if part)
    return _(
        "It has no measure, no milestones and no agreed goals supporting it yet, so it is at 0%."
    )


@dataclass(frozen=True)
class GoalRow:
    """One row of a goal list page, every text already made: a page of 50 rows renders
    its table without one look-up, translation or reverse per cell (bench/pages.py)."""

    url: str
    title: str
    type_label: str
    owner_name: str
    owner_url: str  # "" when the owner is a team or the organization
    supports: str  # the parent's title the reader may read, or "—"
    due: str
    progress: int
    progress_label: str
    status: str
    status_label: str
    confidence: str
    confidence_label: str
    needs_agreement: bool
    last_update: str


class _Texts:
    """Labels, link patterns and days for one page, each made once however many rows
    share it (translations and URL patterns are per request; days repeat)."""

    def __init__(self, organization: Organization) -> None:
        self.organization = organization
        self.goal_link = _link_pattern("goals:detail", organization.slug)
        self.person_link = _link_pattern("people:profile", organization.slug)
        self.progress_of = _("Progress of %(title)s")
        self.team = _("Team %(team)s")
        self.never = _("never")
        self.labels: dict[tuple[str, str], str] = {}
        self.days: dict[date, str] = {}

    def label(self, choices: type[TextChoices], value: str) -> str:
        key = (choices.__name__, value)
        if key not in self.labels:
            self.labels[key] = str(choices(value).label) if value in choices.values else value
        return self.labels[key]

    def day(self, value: date | datetime | None, empty: str) -> str:
        if value is None:
            return empty
        if isinstance(value, datetime):
            # Its day on the reader's clock, as `format_day` takes it.
            value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        if value not in self.days:
            self.days[value] = format_day(value) or empty
        return self.days[value]


def _link_pattern(name: str, slug: str) -> tuple[str, str]:
    """The path of `name` for the object id 0, split around that id: (before, after)."""
    path = reverse(name, args=[slug, 0])
    before, _zero, after = path.rpartition("/0/")
    return f"{before}/", f"/{after}"


def _owner(goal: Goal, texts: _Texts) -> tuple[str, str]:
    if goal.owner_kind == OwnerKind.PERSON and goal.owner_person is not None:
        before, after = texts.person_link
        return goal.owner_person.display_name, f"{before}{goal.owner_person_id}{after}"
    if goal.owner_kind == OwnerKind.TEAM and goal.owner_team is not None:
        return texts.team % {"team": goal.owner_team.name}, ""
    return texts.organization.name, ""


def goal_rows(goals: Iterable[Goal], *, organization: Organization) -> list[GoalRow]:
    """The rows of a goal list page (`templates/goals/list.html`) for goals a selector
    returned (owner, team and the readable parent loaded)."""
    texts = _Texts(organization)
    before, after = texts.goal_link
    rows = []
    for goal in goals:
        owner_name, owner_url = _owner(goal, texts)
        rows.append(
            GoalRow(
                url=f"{before}{goal.pk}{after}",
                title=goal.title,
                type_label=texts.label(GoalType, goal.goal_type),
                owner_name=owner_name,
                owner_url=owner_url,
                supports=goal.parent.title if goal.parent else "—",
                due=texts.day(goal.due_date, "—"),
                progress=goal.progress_percent,
                progress_label=texts.progress_of % {"title": goal.title},
                status=goal.status,
                status_label=texts.label(GoalStatus, goal.status),
                confidence=goal.last_confidence,
                confidence_label=texts.label(Confidence, goal.last_confidence),
                needs_agreement=goal.needs_agreement,
                last_update=texts.day(goal.last_update_at, texts.never),
            )
        )
    return rows
