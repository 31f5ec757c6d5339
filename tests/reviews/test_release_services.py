"""Release, correction after release, comment and acknowledgement: who may, when, once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from perfmgmt.audit.models import AuditEntry
from perfmgmt.errors import DomainError, PermissionDeniedError
from perfmgmt.notifications.models import Notification
from reviews.models import CyclePhase, PhaseKind, ReviewerKind, ReviewStatus
from reviews.services.release import (
    Correction,
    answer_correct,
    cycle_release,
    participant_release,
    review_acknowledge,
    review_comment,
)
from tests.conftest import OrgPeople
from tests.reviews.factories import running_cycle
from tests.reviews.release_helpers import questions, release_phases, written_cycle

pytestmark = pytest.mark.django_db


def test_hr_releases_a_submitted_review_once_and_the_employee_is_told_once(
    scope, org: OrgPeople
) -> None:
    participant = written_cycle(org, [org.report]).participants.get()
    participant_release(actor=org.hr, participant=participant)
    first = participant.released_at
    participant_release(actor=org.hr, participant=participant)
    participant.refresh_from_db()
    assert participant.released_at == first is not None
    assert participant.released_by == org.hr
    sent = Notification.objects.filter(kind="review-released")
    assert [note.recipient for note in sent] == [org.report]
    assert AuditEntry.objects.filter(action="review.released").count() == 1


def test_only_hr_releases(scope, org: OrgPeople) -> None:
    participant = written_cycle(org, [org.report]).participants.get()
    for actor in (org.manager, org.report):
        with pytest.raises(PermissionDeniedError):
            participant_release(actor=actor, participant=participant)
    participant.refresh_from_db()
    assert participant.released_at is None


def test_release_waits_for_the_release_phase(scope, org: OrgPeople) -> None:
    cycle = written_cycle(org, [org.report])
    CyclePhase.objects.filter(cycle=cycle, kind=PhaseKind.RELEASE).update(
        opens_at=timezone.now() + timedelta(days=1)
    )
    with pytest.raises(DomainError, match="release phase"):
        cycle_release(actor=org.hr, cycle=cycle)
    assert not Notification.objects.filter(kind="review-released").exists()


def test_a_review_still_being_written_is_not_released(scope, org: OrgPeople) -> None:
    cycle = running_cycle(org, [org.report], phases=release_phases())
    participant = cycle.participants.get()
    with pytest.raises(DomainError, match="not submitted"):
        participant_release(actor=org.hr, participant=participant)


def test_releasing_a_cycle_releases_the_submitted_ones_and_skips_the_rest(
    scope, org: OrgPeople
) -> None:
    cycle = written_cycle(org, [org.report, org.report2])
    waiting = cycle.participants.get(reviewee=org.report2)
    waiting.reviews.filter(kind=ReviewerKind.MANAGER).update(
        status=ReviewStatus.DRAFT, submitted_at=None
    )
    assert cycle_release(actor=org.hr, cycle=cycle) == 1
    assert cycle_release(actor=org.hr, cycle=cycle) == 0
    assert list(cycle.participants.filter(released_at__isnull=False)) == [
        cycle.participants.get(reviewee=org.report)
    ]
    assert Notification.objects.filter(kind="review-released").count() == 1


def _manager_answer(participant):
    review = participant.reviews.get(kind=ReviewerKind.MANAGER)
    question = questions(participant)["How did the period go overall?"]
    return review.answers.get(question_id=question["id"])


def test_hr_corrects_a_released_answer_with_a_reason_audited_and_the_employee_told(
    scope, org: OrgPeople
) -> None:
    participant = written_cycle(org, [org.report]).participants.get()
    participant_release(actor=org.hr, participant=participant)
    answer = _manager_answer(participant)
    corrected = answer_correct(
        actor=org.hr,
        answer=answer,
        correction=Correction(rating="3", text="Calibrated"),
        reason="Calibration moved it",
    )
    assert corrected.rating == 3
    entry = AuditEntry.objects.get(action="review.answer_corrected")
    assert entry.changes["before"]["rating"] == "4.00"
    assert entry.changes["after"]["rating"] == "3"
    assert entry.changes["reason"] == "Calibration moved it"
    told = Notification.objects.get(kind="review-corrected")
    assert told.recipient == org.report
    assert "Calibration moved it" in told.body


def test_a_correction_needs_hr_a_reason_a_release_and_a_level_of_the_scale(
    scope, org: OrgPeople
) -> None:
    participant = written_cycle(org, [org.report]).participants.get()
    answer = _manager_answer(participant)
    with pytest.raises(DomainError, match="released"):
        answer_correct(actor=org.hr, answer=answer, correction=Correction(rating="3"), reason="x")
    participant_release(actor=org.hr, participant=participant)
    with pytest.raises(PermissionDeniedError):
        answer_correct(
            actor=org.manager, answer=answer, correction=Correction(rating="3"), reason="x"
        )
    with pytest.raises(DomainError) as no_reason:
        answer_correct(actor=org.hr, answer=answer, correction=Correction(rating="3"), reason=" ")
    assert "reason" in no_reason.value.fields
    with pytest.raises(DomainError) as off_scale:
        answer_correct(actor=org.hr, answer=answer, correction=Correction(rating="9"), reason="x")
    assert "rating" in off_scale.value.fields
    answer.refresh_from_db()
    assert answer.rating == 4
    assert not AuditEntry.objects.filter(action="review.answer_corrected").exists()


def test_the_reviewee_comments_and_acknowledges_after_release_once(scope, org: OrgPeople) -> None:
    participant = written_cycle(org, [org.report]).participants.get()
    with pytest.raises(PermissionDeniedError):
        review_acknowledge(actor=org.report, participant=participant)
    participant_release(actor=org.hr, participant=participant)
    participant.refresh_from_db()
    for someone_else in (org.manager, org.hr):
        with pytest.raises(PermissionDeniedError):
            review_comment(actor=someone_else, participant=participant, text="Mine")
    review_comment(actor=org.report, participant=participant, text="  I will mentor Ravi. ")
    review_acknowledge(actor=org.report, participant=participant)
    first = participant.acknowledged_at
    review_acknowledge(actor=org.report, participant=participant)
    participant.refresh_from_db()
    assert participant.employee_comment == "I will mentor Ravi."
    assert participant.acknowledged_at == first is not None
    assert Notification.objects.filter(kind="review-acknowledged").count() == 1
    released = Notification.objects.get(kind="review-released")
    assert released.resolved_at is not None
    with pytest.raises(DomainError, match="acknowledged"):
        review_comment(actor=org.report, participant=participant, text="Changed my mind")
