"""Calibration exports: one session's people, and several cycles side by side, as CSV
(streamed) or XLSX (written row by row to a temporary file, never held whole).

Each reads what the reader may read: a session's export its visible placements
(`selectors.calibration.placement_rows`), the cycles export only HR (checked by the
caller). Only overall ratings, potential and the reasons of calibration are exported: no
answer text and nothing of peer or upward feedback. Every cell goes through
`perfmgmt.exports.escape_cell` (a cell that starts like a formula is kept as text). The callers
audit each export.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from perfmgmt.audit.services import audit_record
from perfmgmt.errors import DomainError, PermissionDeniedError
from perfmgmt.localization import format_moment
from perfmgmt.tenancy.policies import Actor

from . import policies
from .models import Band, CalibrationChange, CalibrationSession, ReviewCycle
from .ninebox import box_name
from .selectors.calibration import final_ratings, placement_rows

CHUNK = 500
MAX_CYCLES = 5


def _value(value: Decimal | None) -> str:
    return "" if value is None else str(Decimal(value).normalize())


def _band(value: int | None) -> str:
    return "" if value is None else str(Band(value).label)


def session_header() -> list[str]:
    return [
        _("Person"),
        _("Team"),
        _("Manager"),
        _("Self rating"),
        _("Manager rating"),
        _("Calibrated rating"),
        _("Potential as opened"),
        _("Potential"),
        _("Box"),
        _("Last reason"),
        _("Locked"),
    ]


def session_rows(*, actor: Actor, session: CalibrationSession) -> Iterator[list[str]]:
    """The header and one row per person the reader may read, by name."""
    yield session_header()
    latest = CalibrationChange.objects.order_by("-created_at", "-id")
    placements = placement_rows(actor=actor, session=session).prefetch_related(
        Prefetch("changes", queryset=latest)
    )
    locked = format_moment(session.locked_at) if session.locked_at else ""
    for placement in placements.iterator(chunk_size=CHUNK):
        participant = placement.participant
        reviewee = participant.reviewee
        changes = list(placement.changes.all()[:1])
        yield [
            reviewee.display_name,
            reviewee.team.name if reviewee.team else "",
            participant.manager.display_name if participant.manager else "",
            _value(placement.self_rating),
            _value(placement.original_rating),
            _value(placement.rating),
            _band(placement.original_potential),
            _band(placement.potential),
            box_name(placement.performance, placement.potential),
            changes[0].reason if changes else "",
            locked,
        ]


def cycles_rows(*, cycles: Sequence[ReviewCycle]) -> Iterator[list[str]]:
    """One row per person, one column pair per cycle: the manager's and the final rating."""
    header = [_("Person")]
    for cycle in cycles:
        header += [
            _("%(cycle)s: manager rating") % {"cycle": cycle.name},
            _("%(cycle)s: final rating") % {"cycle": cycle.name},
        ]
    yield header
    position = {cycle.pk: index for index, cycle in enumerate(cycles)}
    rows = (
        final_ratings(cycles=cycles)
        .select_related("reviewee")
        .order_by("reviewee__full_name", "reviewee_id", "cycle_id")
    )
    current: list[str] | None = None
    current_person: int | None = None
    for participant in rows.iterator(chunk_size=CHUNK):
        if participant.reviewee_id != current_person:
            if current is not None:
                yield current
            current_person = participant.reviewee_id
            current = [participant.reviewee.display_name] + [""] * (2 * len(cycles))
        assert current is not None
        index = 1 + 2 * position[participant.cycle_id]
        before = participant.original_rating
        current[index] = _value(before if before is not None else participant.manager_rating)
        current[index + 1] = _value(participant.final_rating)
    if current is not None:
        yield current


def session_export(
    *, actor: Actor, session: CalibrationSession, file_format: str
) -> Iterator[list[str]]:
    """The rows of a session's export for `actor` (who reads the session), audited."""
    audit_record(
        actor=actor,
        action="calibration.exported",
        target=session,
        changes={"format": file_format},
    )
    return session_rows(actor=actor, session=session)


def cycles_export(
    *, actor: Actor, cycles: Sequence[ReviewCycle], file_format: str
) -> Iterator[list[str]]:
    """Several cycles side by side, for HR (and keys with reviews:read) only; audited."""
    if not policies.can_view_all_reviews(actor):
        raise PermissionDeniedError(_("Only HR exports cycles side by side."))
    if not cycles or len(cycles) > MAX_CYCLES:
        raise DomainError(
            _("Choose one to five cycles."),
            fields={"cycles": [_("Choose one to five cycles.")]},
        )
    for cycle in cycles:
        audit_record(
            actor=actor,
            action="calibration.cycles_exported",
            target=cycle,
            changes={"format": file_format, "cycles": [c.pk for c in cycles]},
        )
    return cycles_rows(cycles=cycles)
