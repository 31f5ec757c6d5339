"""Every row lock the cycle services take, in one place and in one order.

The order, for every transaction that locks more than one row: the cycle first
(`lock_cycle`), then one participant (`lock_participant`), then that participant's reviews
(`lock_reviews`). Never a cycle while a participant of it is held, so a launch, a phase
change and a per-person change of the same cycle wait for each other instead of deadlocking.
"""

from __future__ import annotations

from .models import (
    CalibrationPlacement,
    CalibrationSession,
    ImprovementPlan,
    Participant,
    Review,
    ReviewCycle,
)


def lock_cycle(cycle_id: int) -> ReviewCycle:
    """The cycle row, locked for the rest of the transaction."""
    return ReviewCycle.objects.select_for_update().get(pk=cycle_id)


def lock_participant(participant_id: int) -> Participant:
    return (
        Participant.objects.select_for_update(of=("self",))
        .select_related("cycle", "reviewee__user", "manager__user")
        .get(pk=participant_id)
    )


def lock_reviews(participant_id: int) -> list[Review]:
    return list(
        Review.objects.select_for_update().filter(participant_id=participant_id).order_by("id")
    )


def lock_improvement_plan(plan_id: int) -> ImprovementPlan:
    """An improvement plan, locked (it is never locked together with a cycle's rows)."""
    return (
        ImprovementPlan.objects.select_for_update(of=("self",))
        .select_related("person__user", "organization")
        .get(pk=plan_id)
    )


# Calibration: the session first, then its placements by id (a transfer between two
# sessions locks both sessions, lower id first). Never a cycle while a session is held.


def lock_sessions(*session_ids: int) -> list[CalibrationSession]:
    return list(
        CalibrationSession.objects.select_for_update()
        .filter(pk__in=sorted(set(session_ids)))
        .order_by("pk")
    )


def lock_placement(placement_id: int) -> CalibrationPlacement:
    return (
        CalibrationPlacement.objects.select_for_update(of=("self",))
        .select_related("participant__reviewee", "session")
        .get(pk=placement_id)
    )
