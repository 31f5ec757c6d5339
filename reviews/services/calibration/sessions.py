"""Calibration: HR opens sessions, HR and the managers taking part adjust ratings and
move people on the 9-box with a written reason, HR locks; locking writes the calibrated
ratings into the manager reviews, which release then shows.

Rules every entry point shares (pages, API, shell):
- sessions are opened while the cycle's calibration phase is open (by the clock) and take
  the group's participants not yet released nor calibrated in another session;
- every change needs a reason, stays in the placement's history with before and after, and
  is audited; a change equal to what is stored changes nothing;
- a locked session changes no more (409); its ratings are final.
Row locks: `reviews.locks` (the cycle, then sessions, then a placement).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext

from perfmgmt.audit.services import audit_record
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from perfmgmt.tenancy.models import Membership, Team
from perfmgmt.tenancy.policies import Actor, person_of
from perfmgmt.tenancy.selectors import reports_below

from ... import locks, policies
from ...calibration_reminders import calibration_notices_resolve, calibration_session_announce
from ...models import (
    CalibrationManager,
    CalibrationPlacement,
    CalibrationSession,
    CyclePhase,
    CycleStatus,
    Participant,
    PhaseKind,
    Review,
    ReviewAnswer,
    ReviewCycle,
    ReviewerKind,
    SessionGroup,
)
from ...ninebox import band_of
from ...phases import window
from ...selectors.calibration import potential_choices, rated_participants, snapshot_questions_of

REASON_MAX_LENGTH = 2000
BATCH = 500

_TEAM_AND_BELOW_SQL = """
WITH RECURSIVE below(id) AS (
    SELECT id FROM tenancy_team WHERE id = %s AND organization_id = %s
    UNION
    SELECT t.id FROM tenancy_team t JOIN below b ON t.parent_id = b.id
    WHERE t.organization_id = %s
)
SELECT id FROM below
"""


def _require_hr(actor: Actor) -> None:
    if not policies.can_manage_calibration(actor):
        raise PermissionDeniedError(gettext("Only HR opens, targets and locks calibration."))


def _calibration_open(cycle: ReviewCycle, now: datetime) -> None:
    phase = window(CyclePhase.objects.filter(cycle=cycle), PhaseKind.CALIBRATION)
    if phase is None or not phase.is_open(now):
        raise DomainError(gettext("The calibration phase of this cycle is not open."))


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            gettext("Say why this changes."), fields={"reason": [gettext("A reason is required.")]}
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise DomainError(
            gettext("The reason is too long."),
            fields={"reason": [gettext("At most 2000 characters.")]},
        )
    return reason


def _not_locked(session: CalibrationSession) -> None:
    if session.locked_at is not None:
        raise ConflictError(gettext("This session is locked: its ratings are final."))


# Opening a session ------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionInput:
    name: str
    group: str
    team: Team | None = None
    leader: Membership | None = None
    managers: Sequence[Membership] = ()
    potential_question_id: int | None = None


def _group_errors(data: SessionInput, cycle: ReviewCycle) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not data.name.strip():
        errors["name"] = [gettext("Give the session a name.")]
    if data.group not in SessionGroup.values:
        errors["group"] = [gettext("Choose who is calibrated.")]
    if data.group == SessionGroup.TEAM and data.team is None:
        errors["team"] = [gettext("Choose the team or department.")]
    if data.group == SessionGroup.MANAGER_ORG and data.leader is None:
        errors["leader"] = [gettext("Choose the manager whose organization is calibrated.")]
    allowed = {question for question, _prompt in potential_choices(cycle=cycle)}
    if data.potential_question_id is not None and data.potential_question_id not in allowed:
        errors["potential_question"] = [
            gettext("Choose a manager-only rating question of this cycle's templates.")
        ]
    if CalibrationSession.objects.filter(cycle=cycle, name=data.name.strip()).exists():
        errors["name"] = [gettext("This cycle has a session of this name already.")]
    return errors


def _group_participants(cycle: ReviewCycle, data: SessionInput) -> QuerySet[Participant]:
    org_id = cycle.organization_id
    participants = Participant.objects.filter(cycle=cycle, released_at=None).exclude(
        pk__in=CalibrationPlacement.objects.values("participant_id")
    )
    if data.group == SessionGroup.TEAM and data.team is not None:
        teams = RawSQL(_TEAM_AND_BELOW_SQL, [data.team.pk, org_id, org_id])  # noqa: S611 (constant SQL)
        participants = participants.filter(reviewee__team_id__in=teams)
    elif data.group == SessionGroup.MANAGER_ORG and data.leader is not None:
        participants = participants.filter(reviewee_id__in=reports_below(manager=data.leader))
    return participants


def _placements(session: CalibrationSession, participants: QuerySet[Participant]) -> int:
    """Create the session's placements from each person's ratings, in batches."""
    questions = snapshot_questions_of(
        cycle_ids=[session.cycle_id], potential_question_id=session.potential_question_id
    )
    rated = rated_participants(
        cycle=session.cycle,
        questions=questions,
        potential_question_id=session.potential_question_id,
    ).filter(pk__in=participants.values("pk"))
    batch: list[CalibrationPlacement] = []
    created = 0
    for row in rated.values(
        "pk",
        "snapshot_id",
        "overall_question",
        "manager_rating",
        "self_rating_value",
        "potential_rating",
    ).iterator(chunk_size=BATCH):
        levels = questions.levels.get(row["snapshot_id"], [])
        potential = band_of(
            row["potential_rating"], questions.potential.get(row["snapshot_id"], [])
        )
        batch.append(
            CalibrationPlacement(
                organization_id=session.organization_id,
                session=session,
                participant_id=row["pk"],
                overall_question_id=row["overall_question"],
                levels=levels,
                scale_lowest=min(levels) if levels else None,
                scale_highest=max(levels) if levels else None,
                self_rating=row["self_rating_value"],
                original_rating=row["manager_rating"],
                rating=row["manager_rating"],
                performance=band_of(row["manager_rating"], levels),
                original_potential=potential,
                potential=potential,
            )
        )
        if len(batch) == BATCH:
            created += len(CalibrationPlacement.objects.bulk_create(batch))
            batch = []
    created += len(CalibrationPlacement.objects.bulk_create(batch))
    return created


def session_open(
    *, actor: Actor, cycle: ReviewCycle, data: SessionInput, now: datetime | None = None
) -> CalibrationSession:
    """Open a calibration session for a group of the cycle, with the managers taking part."""
    _require_hr(actor)
    now = now or timezone.now()
    if cycle.status != CycleStatus.ACTIVE:
        raise DomainError(gettext("Only a running cycle is calibrated."))
    _calibration_open(cycle, now)
    with transaction.atomic():
        cycle = locks.lock_cycle(cycle.pk)  # two openings at once place each person once
        errors = _group_errors(data, cycle)
        if errors:
            raise DomainError(gettext("Some fields are not valid."), fields=errors)
        participants = _group_participants(cycle, data)
        if not participants.exists():
            raise DomainError(
                gettext("Nobody of this group is left to calibrate in this cycle."),
                fields={"group": [gettext("Everyone here is calibrated or released already.")]},
            )
        session = CalibrationSession.objects.create(
            cycle=cycle,
            name=data.name.strip(),
            group=data.group,
            team=data.team if data.group == SessionGroup.TEAM else None,
            leader=data.leader if data.group == SessionGroup.MANAGER_ORG else None,
            potential_question_id=data.potential_question_id,
            created_by=person_of(actor),
            created_at=now,
        )
        CalibrationManager.objects.bulk_create(
            [
                CalibrationManager(
                    organization_id=cycle.organization_id, session=session, manager=m
                )
                for m in {m.pk: m for m in data.managers}.values()
            ]
        )
        count = _placements(session, participants)
        calibration_session_announce(session=session, managers=data.managers)
        audit_record(
            actor=actor,
            action="calibration.session_opened",
            target=session,
            changes={"people": count, "managers": len(data.managers), "group": data.group},
        )
    return session


# Target distribution ----------------------------------------------------------------------


def _session_levels(session: CalibrationSession) -> set[Decimal]:
    levels: set[Decimal] = set()
    for row in (
        CalibrationPlacement.objects.filter(session=session)
        .values_list("levels", flat=True)
        .distinct()
    ):
        levels.update(row)
    return levels


def session_target_set(
    *, actor: Actor, session: CalibrationSession, shares: dict[str, Any]
) -> CalibrationSession:
    """HR's target share (percent) of each rating; all empty removes the target."""
    _require_hr(actor)
    levels = {str(level.normalize()): level for level in _session_levels(session)}
    target: dict[str, int] = {}
    errors: dict[str, list[str]] = {}
    for key, value in shares.items():
        if value in (None, ""):
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = -1
        if key not in levels:
            errors.setdefault("target", []).append(gettext("A target names a rating of the scale."))
        elif not 0 <= number <= 100:
            errors.setdefault("target", []).append(gettext("Each share is 0 to 100 percent."))
        else:
            target[key] = number
    if not errors and target and sum(target.values()) != 100:
        errors["target"] = [gettext("The shares add up to 100 percent.")]
    if errors:
        raise DomainError(gettext("The target distribution is not valid."), fields=errors)
    with transaction.atomic():
        (session,) = locks.lock_sessions(session.pk)
        _not_locked(session)
        if session.target_distribution == target:
            return session
        before = session.target_distribution
        session.target_distribution = target
        session.save(update_fields=["target_distribution"])
        audit_record(
            actor=actor,
            action="calibration.target_set",
            target=session,
            changes={"before": before, "after": target},
        )
    return session


# Locking ----------------------------------------------------------------------------------


def _write_back(session: CalibrationSession, now: datetime) -> int:
    """Write each changed calibrated rating into the open manager review's overall answer
    (the original stays on the placement and in its history). Returns how many changed."""
    changed = 0
    placements = (
        CalibrationPlacement.objects.filter(session=session)
        .exclude(rating=None)
        .exclude(overall_question_id=None)
        .order_by("pk")
    )
    for placement in placements.iterator(chunk_size=BATCH):
        question = placement.overall_question_id
        if question is None or placement.rating == placement.original_rating:
            continue
        review = (
            Review.objects.select_for_update()
            .filter(
                participant_id=placement.participant_id,
                kind=ReviewerKind.MANAGER,
                superseded_at=None,
            )
            .first()
        )
        if review is None:
            continue
        answer, _created = ReviewAnswer.objects.update_or_create(
            review=review,
            question_id=question,
            item_id=0,
            defaults={"rating": placement.rating, "not_applicable": False, "updated_at": now},
        )
        audit_record(
            actor=None,
            action="review.answer_calibrated",
            target=answer,
            changes={
                "before": {"rating": str(placement.original_rating)},
                "after": {"rating": str(placement.rating)},
                "session": session.pk,
            },
        )
        changed += 1
    return changed


def session_lock(*, actor: Actor, session: CalibrationSession) -> CalibrationSession:
    """Lock the session: its ratings become final and go into the manager reviews, so
    release shows them. Idempotent."""
    _require_hr(actor)
    with transaction.atomic():
        (session,) = locks.lock_sessions(session.pk)
        if session.locked_at is not None:
            return session
        now = timezone.now()
        session.locked_at = now
        session.locked_by = person_of(actor)
        session.save(update_fields=["locked_at", "locked_by"])
        changed = _write_back(session, now)
        calibration_notices_resolve(session=session, by=person_of(actor))
        audit_record(
            actor=actor,
            action="calibration.session_locked",
            target=session,
            changes={"ratings_changed": changed},
        )
    return session
