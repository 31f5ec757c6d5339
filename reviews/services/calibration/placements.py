"""Changes of one person's placement: a rating adjusted, a move on the 9-box, a move to
another session of the cycle. Each needs a written reason, keeps a history row with
before and after, and is audited; the same values again change nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from perfmgmt.audit.services import audit_record
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from perfmgmt.tenancy.policies import Actor, person_of

from ... import locks, policies
from ...models import Band, CalibrationChange, CalibrationPlacement, CalibrationSession
from ...ninebox import band_of, rating_for_band
from .sessions import _calibration_open, _not_locked, _reason

KEEP: Any = object()  # "leave this value as it is"


@dataclass(frozen=True)
class PlacementChange:
    """What a change asks for: a rating (on the person's scale) and/or a potential band."""

    rating: Any = KEEP
    potential: Any = KEEP
    version: int | None = None


def _rating(placement: CalibrationPlacement, value: Any) -> Decimal | None:
    if value is KEEP:
        return placement.rating
    try:
        rating = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(
            gettext("Enter a rating."), fields={"rating": [gettext("Enter a number.")]}
        ) from None
    if not rating.is_finite() or rating not in set(placement.levels):
        raise DomainError(
            gettext("This rating is not on the scale."),
            fields={"rating": [gettext("Choose one of the scale's levels.")]},
        )
    return rating


def _potential(placement: CalibrationPlacement, value: Any) -> int | None:
    if value is KEEP:
        return placement.potential
    try:
        potential = int(value)
    except (TypeError, ValueError):
        potential = 0
    if potential not in Band.values:
        raise DomainError(
            gettext("Potential is low, medium or high."),
            fields={"potential": [gettext("Choose low, medium or high.")]},
        )
    return potential


def _state(rating: Decimal | None, potential: int | None) -> dict[str, Any]:
    shown = None if rating is None else str(Decimal(rating).quantize(Decimal("0.01")))
    return {"rating": shown, "potential": potential}


def _locked_for_change(
    actor: Actor, placement: CalibrationPlacement, version: int | None
) -> CalibrationPlacement:
    """The placement, locked, after every check that refuses a change (nothing written)."""
    (session,) = locks.lock_sessions(placement.session_id)
    placement = locks.lock_placement(placement.pk)
    placement.session = session
    if not policies.can_adjust_placement(actor, placement):
        raise PermissionDeniedError(gettext("You may not change this person's calibration."))
    _not_locked(session)
    _calibration_open(session.cycle, timezone.now())
    if version is not None and version != placement.version:
        raise ConflictError(
            gettext("Someone changed this person's calibration meanwhile: read it again.")
        )
    return placement


def _record(
    actor: Actor,
    placement: CalibrationPlacement,
    before: dict[str, Any],
    reason: str,
    now: datetime,
    action: str = "calibration.adjusted",
) -> None:
    person = person_of(actor)
    CalibrationChange.objects.create(
        placement=placement,
        actor=person,
        actor_label=(person.display_name if person else actor.display_name)[:200],
        rating_before=before["rating"],
        rating_after=placement.rating,
        potential_before=before["potential"],
        potential_after=placement.potential,
        reason=reason,
        created_at=now,
    )
    audit_record(
        actor=actor,
        action=action,
        target=placement,
        changes={
            "before": before,
            "after": _state(placement.rating, placement.potential),
            "reason": reason,
            "session": placement.session_id,
        },
    )


def _apply(
    actor: Actor,
    placement: CalibrationPlacement,
    rating: Decimal | None,
    potential: int | None,
    reason: str,
) -> CalibrationPlacement:
    before = _state(placement.rating, placement.potential)
    if before == _state(rating, potential):
        return placement
    now = timezone.now()
    placement.rating = rating
    placement.performance = band_of(rating, placement.levels)
    placement.potential = potential
    placement.version += 1
    placement.updated_at = now
    placement.save(update_fields=["rating", "performance", "potential", "version", "updated_at"])
    _record(
        actor,
        placement,
        {"rating": before["rating"], "potential": before["potential"]},
        reason,
        now,
    )
    return placement


def placement_adjust(
    *, actor: Actor, placement: CalibrationPlacement, change: PlacementChange, reason: str
) -> CalibrationPlacement:
    """Adjust a person's calibrated rating and/or potential, with a written reason."""
    reason = _reason(reason)
    with transaction.atomic():
        placement = _locked_for_change(actor, placement, change.version)
        rating = _rating(placement, change.rating)
        potential = _potential(placement, change.potential)
        return _apply(actor, placement, rating, potential, reason)


def placement_move(
    *,
    actor: Actor,
    placement: CalibrationPlacement,
    performance: Any,
    potential: Any,
    reason: str,
    version: int | None = None,
) -> CalibrationPlacement:
    """Move a person to the box (performance, potential): the rating becomes the level of
    that performance band nearest to the current one (unchanged if it is in it already)."""
    reason = _reason(reason)
    with transaction.atomic():
        placement = _locked_for_change(actor, placement, version)
        band = _potential(placement, performance)
        if band is None:
            raise DomainError(gettext("Choose a box."))
        rating = rating_for_band(band, placement.levels, placement.rating)
        if rating is None:
            raise DomainError(
                gettext("This person has no rating scale to place them on."),
                fields={"performance": [gettext("Choose low, medium or high.")]},
            )
        return _apply(actor, placement, rating, _potential(placement, potential), reason)


def placement_transfer(
    *, actor: Actor, placement: CalibrationPlacement, session: CalibrationSession, reason: str
) -> CalibrationPlacement:
    """Move a person into another session of the same cycle (HR): neither may be locked."""
    if not policies.can_manage_calibration(actor):
        raise PermissionDeniedError(gettext("Only HR moves people between sessions."))
    reason = _reason(reason)
    with transaction.atomic():
        sessions = {s.pk: s for s in locks.lock_sessions(placement.session_id, session.pk)}
        placement = locks.lock_placement(placement.pk)
        source, target = sessions[placement.session_id], sessions[session.pk]
        if target.cycle_id != source.cycle_id:
            raise DomainError(
                gettext("This person is not in that session's cycle."),
                fields={"session": [gettext("Choose a session of the same cycle.")]},
            )
        _not_locked(source)
        _not_locked(target)
        if source.pk == target.pk:
            return placement
        placement.session = target
        placement.version += 1
        placement.updated_at = timezone.now()
        placement.save(update_fields=["session", "version", "updated_at"])
        before = _state(placement.rating, placement.potential)
        _record(
            actor,
            placement,
            before,
            reason,
            placement.updated_at,
            action="calibration.transferred",
        )
    return placement
