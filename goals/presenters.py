"""Sentences the goal pages show about a goal, built from what the selectors returned."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Goal
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
