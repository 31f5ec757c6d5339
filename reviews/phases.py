"""Which phase of a cycle is open, for whom, and whether a set of phases makes sense.

Pure functions over instants (UTC, as stored). HR enters dates and times in the
organization's time zone; the form converts them once (`local_instant`), so a phase that
closes at 17:00 in Berlin closes at 17:00 on both sides of a DST change.

A phase is open from `opens_at` (inclusive) to `closes_at` (exclusive). Writes are decided
by these instants, never by whether the sweep has run yet. A participant's own deadline
(an extension) replaces the phase's closing for them alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import pairwise
from typing import Protocol
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from .models import PHASE_ORDER, PhaseKind

# The phases a reviewer writes in, and the participant field holding their extension.
WRITING_PHASES = {PhaseKind.SELF: "self_deadline", PhaseKind.MANAGER: "manager_deadline"}
# The phase each kind of review is written in: peers and direct reports write in the peer
# phase, which has no per-person extension (a late answer would single its author out).
REVIEW_PHASES = {
    "self": PhaseKind.SELF,
    "manager": PhaseKind.MANAGER,
    "peer": PhaseKind.PEER,
    "upward": PhaseKind.PEER,
}


@dataclass(frozen=True)
class Window:
    kind: str
    opens_at: datetime
    closes_at: datetime

    def is_open(self, now: datetime) -> bool:
        return self.opens_at <= now < self.closes_at

    def has_closed(self, now: datetime) -> bool:
        return now >= self.closes_at


class PhaseLike(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def opens_at(self) -> datetime: ...
    @property
    def closes_at(self) -> datetime: ...


def local_instant(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """A wall-clock time on a day in `zone` as an aware instant. A time that does not exist
    (skipped by a DST change) moves forward by the gap; an ambiguous one takes the first."""
    return datetime.combine(day, clock, tzinfo=zone)


def window(
    phases: Iterable[PhaseLike], kind: str, *, extended_until: datetime | None = None
) -> Window | None:
    """The phase of `kind`, closing at `extended_until` when that is later (an extension)."""
    for phase in phases:
        if phase.kind == kind:
            closes = phase.closes_at
            if extended_until is not None and extended_until > closes:
                closes = extended_until
            return Window(kind, phase.opens_at, closes)
    return None


def open_phases(phases: Iterable[PhaseLike], now: datetime) -> list[str]:
    """The kinds open at `now`, in the cycle's order (self and manager may overlap)."""
    opened = {phase.kind for phase in phases if phase.opens_at <= now < phase.closes_at}
    return [kind for kind in PHASE_ORDER if kind in opened]


def phase_errors(phases: Sequence[PhaseLike]) -> dict[str, list[str]]:
    """What is wrong with a cycle's phases, by phase kind (empty: nothing).

    Each phase closes after it opens. In the cycle's order (self-assessment, peer and
    upward feedback, manager review, calibration, release, acknowledgement), a phase opens
    no earlier than the one before it opens and closes no earlier than it closes; release
    opens only once manager reviews are closed (a review cannot be released while it is
    still being written); a cycle needs a self-assessment or a manager review.
    """
    errors: dict[str, list[str]] = {}
    by_kind = {phase.kind: phase for phase in phases}
    for phase in phases:
        if phase.kind not in PHASE_ORDER:
            errors.setdefault(phase.kind, []).append(_("Unknown phase."))
        elif phase.closes_at <= phase.opens_at:
            errors.setdefault(phase.kind, []).append(_("It must close after it opens."))
    if PhaseKind.SELF not in by_kind and PhaseKind.MANAGER not in by_kind:
        errors.setdefault(PhaseKind.SELF, []).append(
            _("A cycle needs a self-assessment or a manager review.")
        )
    ordered = [by_kind[kind] for kind in PHASE_ORDER if kind in by_kind]
    for before, after in pairwise(ordered):
        if after.opens_at < before.opens_at or after.closes_at < before.closes_at:
            errors.setdefault(after.kind, []).append(
                _("It must open and close no earlier than %(phase)s.")
                % {"phase": PhaseKind(before.kind).label}
            )
    manager = by_kind.get(PhaseKind.MANAGER)
    release = by_kind.get(PhaseKind.RELEASE)
    if manager is not None and release is not None and release.opens_at < manager.closes_at:
        errors.setdefault(PhaseKind.RELEASE, []).append(
            _("Release opens once manager reviews have closed.")
        )
    return errors
