"""Release and acknowledgement: HR releases manager reviews, the reviewee reads, comments
and acknowledges; after release answers change only by an HR correction with a reason.

Release needs the release phase open (by the clock, `reviews.phases`) and the participant's
open manager review submitted; someone in a calibration session waits until it is locked
(locking writes the calibrated rating into the manager review, so that is what is released).
Releasing twice, acknowledging twice or commenting the same
text twice changes nothing and notifies nobody again: each state change is a conditional
UPDATE (`... WHERE released_at IS NULL`), so two clicks at once release once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from perfmgmt.audit.services import audit_record
from perfmgmt.errors import DomainError, PermissionDeniedError
from perfmgmt.integrations.webhooks.events import emit, emit_many
from perfmgmt.localization import reader_locale
from perfmgmt.notifications.models import subject_of
from perfmgmt.notifications.services import notifications_resolve, notify
from perfmgmt.notifications.sweep import local_date_key, local_now
from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.policies import Actor, person_of
from perfmgmt.web.links import optional_reverse

from .. import policies
from ..models import (
    CalibrationPlacement,
    CyclePhase,
    Participant,
    PhaseKind,
    Review,
    ReviewAnswer,
    ReviewCycle,
    ReviewerKind,
    ReviewStatus,
)
from ..phases import window
from ..selectors.writing import snapshot_question

COMMENT_MAX_LENGTH = 5000
RELEASED_KIND = "review-released"
ACKNOWLEDGE_KINDS = ("review-released", "review-acknowledge-pending")


def released_url(participant: Participant) -> str:
    return optional_reverse(
        "reviews:released",
        org_slug=participant.organization.slug,
        participant_id=participant.pk,
    )


def _require_manager(actor: Actor) -> None:
    if not policies.can_manage_cycles(actor):
        raise PermissionDeniedError(gettext("Only HR releases and corrects reviews."))


def _release_open(cycle: ReviewCycle, now: datetime) -> None:
    phases = list(CyclePhase.objects.filter(cycle=cycle))
    release = window(phases, PhaseKind.RELEASE)
    if release is None or not release.is_open(now):
        raise DomainError(gettext("The release phase of this cycle is not open."))


def _manager_review_submitted() -> Any:
    return Review.objects.filter(
        kind=ReviewerKind.MANAGER, status=ReviewStatus.SUBMITTED, superseded_at=None
    ).values("participant_id")


def _in_open_calibration() -> Any:
    """Participants of a calibration session not locked yet: their rating is not final."""
    return CalibrationPlacement.objects.filter(session__locked_at=None).values("participant_id")


def _notify_released(participant: Participant) -> None:
    reviewee = participant.reviewee
    with reader_locale(user=reviewee.user, organization=participant.organization):
        title = gettext("Your review in %(cycle)s is ready to read") % {
            "cycle": participant.cycle.name
        }
        body = gettext(
            "Read your manager's review, add a comment if you wish, and acknowledge it: "
            "an agreement on what happens next, not on the rating."
        )
    notify(
        recipient=reviewee,
        kind=RELEASED_KIND,
        key=f"review-released:{participant.pk}",
        title=title,
        body=body,
        url=released_url(participant),
        subject=subject_of(participant),
    )


def _release_rows(actor: Actor, participants: Any, now: datetime) -> list[Participant]:
    """Release the given participants that are not released and whose manager review is
    submitted; return those this call released (each once, whoever else tries)."""
    released_by = person_of(actor)
    ids = list(
        participants.filter(released_at=None, pk__in=_manager_review_submitted())
        .exclude(pk__in=_in_open_calibration())
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)
    )
    Participant.objects.filter(pk__in=ids, released_at=None).update(
        released_at=now, released_by=released_by
    )
    released = list(
        Participant.objects.filter(pk__in=ids, released_at=now).select_related(
            "cycle", "organization", "reviewee__user"
        )
    )
    for participant in released:
        audit_record(actor=actor, action="review.released", target=participant)
        _notify_released(participant)
    emit_many("review.released", resources=released)
    return released


def participant_release(*, actor: Actor, participant: Participant) -> Participant:
    """Release one participant's manager review to them. Idempotent."""
    _require_manager(actor)
    if participant.released_at is not None:
        return participant
    now = timezone.now()
    _release_open(participant.cycle, now)
    with transaction.atomic():
        released = _release_rows(actor, Participant.objects.filter(pk=participant.pk), now)
    if not released:
        participant.refresh_from_db(fields=["released_at", "released_by"])
        if participant.released_at is None:
            if _in_open_calibration().filter(participant_id=participant.pk).exists():
                raise DomainError(
                    gettext("This review waits until its calibration session is locked.")
                )
            raise DomainError(gettext("The manager review is not submitted yet."))
    participant.refresh_from_db(fields=["released_at", "released_by"])
    return participant


def cycle_release(*, actor: Actor, cycle: ReviewCycle) -> int:
    """Release every participant of the cycle whose manager review is submitted; those
    still being written wait for a later release. Returns how many this call released."""
    _require_manager(actor)
    now = timezone.now()
    _release_open(cycle, now)
    with transaction.atomic():
        released = _release_rows(actor, Participant.objects.filter(cycle=cycle), now)
    return len(released)


# Corrections after release ---------------------------------------------------------------


def _answer_state(answer: ReviewAnswer) -> dict[str, Any]:
    return {
        "rating": None if answer.rating is None else str(answer.rating),
        "not_applicable": answer.not_applicable,
        "text": answer.text,
    }


def _question(participant: Participant, question_id: int) -> dict[str, Any] | None:
    return snapshot_question(participant.snapshot.data, question_id)


def _checked_rating(question: dict[str, Any] | None, rating: Any) -> Decimal | None:
    if rating is None or rating == "":
        return None
    try:
        value = Decimal(str(rating))
    except InvalidOperation:
        raise DomainError(
            gettext("Enter a rating."), fields={"rating": [gettext("Enter a number.")]}
        ) from None
    scale = (question or {}).get("scale")
    values = {Decimal(level["value"]) for level in (scale or {}).get("levels", [])}
    if not values or value not in values:
        raise DomainError(
            gettext("This rating is not on the question's scale."),
            fields={"rating": [gettext("Choose one of the scale's levels.")]},
        )
    return value


@dataclass(frozen=True)
class Correction:
    rating: Any = None
    not_applicable: bool = False
    text: str = ""


def answer_correct(
    *, actor: Actor, answer: ReviewAnswer, correction: Correction, reason: str
) -> ReviewAnswer:
    """HR corrects one answer of a released review, with a written reason; the audit entry
    keeps before and after, and the reviewee is told. A correction equal to the answer
    changes nothing."""
    _require_manager(actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            gettext("Say why the answer is corrected."),
            fields={"reason": [gettext("A reason is required.")]},
        )
    with transaction.atomic():
        answer = (
            ReviewAnswer.objects.select_for_update()
            .select_related("review__participant__snapshot", "review__participant__cycle")
            .get(pk=answer.pk)
        )
        participant = answer.review.participant
        if participant.released_at is None:
            raise DomainError(gettext("Only a released review is corrected; its author edits it."))
        question = _question(participant, answer.question_id)
        rating = None if correction.not_applicable else _checked_rating(question, correction.rating)
        before = _answer_state(answer)
        answer.rating = rating
        answer.not_applicable = correction.not_applicable
        answer.text = correction.text.strip()
        after = _answer_state(answer)
        if before == after:
            return answer
        answer.updated_at = timezone.now()
        answer.save(update_fields=["rating", "not_applicable", "text", "updated_at"])
        entry = audit_record(
            actor=actor,
            action="review.answer_corrected",
            target=answer,
            changes={"before": before, "after": after, "reason": reason},
        )
        _notify_corrected(participant, answer, entry.pk, reason)
    return answer


def _notify_corrected(
    participant: Participant, answer: ReviewAnswer, entry_id: int, reason: str
) -> None:
    reviewee = Membership.objects.select_related("user").get(pk=participant.reviewee_id)
    with reader_locale(user=reviewee.user, organization=participant.organization):
        title = gettext("HR corrected an answer in your review in %(cycle)s") % {
            "cycle": participant.cycle.name
        }
        body = gettext("The reason given: %(reason)s") % {"reason": reason}
    notify(
        recipient=reviewee,
        kind="review-corrected",
        key=f"review-corrected:{answer.pk}:{entry_id}",
        title=title,
        body=body,
        url=released_url(participant),
        subject=subject_of(participant),
    )


# The reviewee's side ---------------------------------------------------------------------


def _require_reviewee(actor: Actor, participant: Participant) -> Membership:
    if not policies.can_acknowledge(actor, participant):
        raise PermissionDeniedError(
            gettext("Only the person reviewed comments on and acknowledges a released review.")
        )
    person = person_of(actor)
    assert person is not None
    return person


def review_comment(*, actor: Actor, participant: Participant, text: str) -> Participant:
    """The reviewee's comment on their released review; changeable until they acknowledge."""
    _require_reviewee(actor, participant)
    text = (text or "").strip()
    if len(text) > COMMENT_MAX_LENGTH:
        raise DomainError(
            gettext("The comment is too long."),
            fields={"text": [gettext("At most 5000 characters.")]},
        )
    if participant.acknowledged_at is not None:
        raise DomainError(
            gettext("You acknowledged this review; your comment is part of what you agreed.")
        )
    if text == participant.employee_comment:
        return participant
    participant.employee_comment = text
    participant.commented_at = timezone.now()
    participant.save(update_fields=["employee_comment", "commented_at"])
    return participant


def review_acknowledge(*, actor: Actor, participant: Participant) -> Participant:
    """The reviewee acknowledges: they agree on what happens next (not on the rating).
    Idempotent; the manager is told once."""
    person = _require_reviewee(actor, participant)
    now = timezone.now()
    with transaction.atomic():
        changed = Participant.objects.filter(pk=participant.pk, acknowledged_at=None).update(
            acknowledged_at=now
        )
        participant.refresh_from_db(fields=["acknowledged_at"])
        if changed:
            notifications_resolve(
                subject=subject_of(participant), kinds=ACKNOWLEDGE_KINDS, by=person
            )
            _notify_acknowledged(participant)
            emit("review.acknowledged", resource=participant)
    return participant


def _notify_acknowledged(participant: Participant) -> None:
    if participant.manager_id is None:
        return
    manager = Membership.objects.select_related("user").get(pk=participant.manager_id)
    with reader_locale(user=manager.user, organization=participant.organization):
        title = gettext("%(person)s acknowledged their review in %(cycle)s") % {
            "person": participant.reviewee.display_name,
            "cycle": participant.cycle.name,
        }
    notify(
        recipient=manager,
        kind="review-acknowledged",
        key=f"review-acknowledged:{participant.pk}",
        title=title,
        url=released_url(participant),
        subject=subject_of(participant),
    )


# Reminding the late ones from the progress page --------------------------------------------


@dataclass(frozen=True)
class LateReminders:
    sent: int
    already: int


LATE_TITLES = {
    PhaseKind.SELF: gettext_lazy("Your self-assessment in %(cycle)s is late"),
    PhaseKind.MANAGER: gettext_lazy("Your manager review of %(person)s in %(cycle)s is late"),
}


def late_remind(*, actor: Actor, cycle: ReviewCycle) -> LateReminders:
    """Remind everyone late in the cycle: one notification per person, phase and local day
    of the organization; a second click the same day sends nothing new."""
    from ..selectors.progress import late_reviews

    _require_manager(actor)
    now = timezone.now()
    day = local_date_key(local_now(cycle.organization, now))
    sent = already = 0
    for review in late_reviews(cycle=cycle, now=now).iterator(chunk_size=200):
        recipient = review.author
        with reader_locale(user=recipient.user, organization=cycle.organization):
            title = str(LATE_TITLES[PhaseKind(review.kind)]) % {
                "cycle": cycle.name,
                "person": review.participant.reviewee.display_name,
            }
        _, created = notify(
            recipient=recipient,
            kind="review-late",
            key=f"review-late:{review.participant_id}:{review.kind}:{day}",
            title=title,
            subject=subject_of(review),
        )
        sent += created
        already += not created
    return LateReminders(sent=sent, already=already)
