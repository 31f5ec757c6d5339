"""Who may set up reviews, and who reads and writes what in a cycle.

HR admins and owners build rating scales and templates; every member may read them (a
template says what will be asked, and of whom: there is nothing secret in it). API keys
read them with `reviews:read` and change them with `reviews:write`.
"""

from __future__ import annotations

from perfmgmt.api.models import Scope
from perfmgmt.tenancy.policies import Actor, is_manager_of, person_of

from .models import (
    AnswerReaders,
    CalibrationManager,
    CalibrationPlacement,
    CalibrationSession,
    Participant,
    Review,
    ReviewerKind,
)

READ_SCOPE, WRITE_SCOPE = Scope.REVIEWS_READ, Scope.REVIEWS_WRITE


def can_manage_review_setup(actor: Actor) -> bool:
    if actor.is_api_client:
        return actor.has_scope(WRITE_SCOPE)
    person = person_of(actor)
    return person is not None and person.is_hr


def can_view_review_setup(actor: Actor) -> bool:
    if actor.is_api_client:
        return actor.has_scope(READ_SCOPE)
    return person_of(actor) is not None


def answer_readers(*, answered_by: str, readers: str) -> list[str]:
    """Who reads one answer once it is submitted, as the kinds of reader the template editor
    names and the review pages will enforce: the author always; a manager review reaches the
    reviewee only at release and only for questions every reader may see."""
    kinds = ["author"]
    if answered_by == ReviewerKind.SELF:
        kinds += ["managers", "hr"]
    elif answered_by == ReviewerKind.MANAGER:
        kinds += ["managers", "hr"]
        if readers == AnswerReaders.EVERYONE:
            kinds.append("reviewee_at_release")
    return kinds


# Cycles and reviews -------------------------------------------------------------------
#
# The one place that decides who reads and writes what in a cycle; pages, the API, exports,
# emails and notifications all ask here (selectors turn the same rules into SQL).


def can_manage_cycles(actor: Actor) -> bool:
    """HR admins and owners configure, launch, extend, reopen, release; API keys with
    `reviews:write`."""
    return can_manage_review_setup(actor)


def can_view_all_reviews(actor: Actor) -> bool:
    """HR (and API keys with `reviews:read`) read every submitted review of the organization."""
    if actor.is_api_client:
        return actor.has_scope(READ_SCOPE)
    person = person_of(actor)
    return person is not None and person.is_hr


def can_view_participant(actor: Actor, participant: Participant) -> bool:
    """The reviewee, whoever writes their manager review, their managers at any level, HR."""
    if can_view_all_reviews(actor):
        return True
    person = person_of(actor)
    if person is None:
        return False
    if person.pk in (participant.reviewee_id, participant.manager_id):
        return True
    return is_manager_of(person, participant.reviewee)


def can_read_review(actor: Actor, review: Review) -> bool:
    """Whether `actor` reads `review` at all (which of its answers: `readable_questions`).

    A draft is its author's alone. A submitted self-assessment reaches the reviewee's
    managers and HR. A submitted manager review reaches the reviewee's managers and HR, and
    the reviewee only once their review is released. A superseded manager review stays
    readable to the new manager (labelled with its author) and to the same readers.
    """
    person = person_of(actor)
    if person is not None and person.pk == review.author_id:
        return True
    if not review.is_submitted and review.superseded_at is None:
        return False
    participant = review.participant
    if can_view_all_reviews(actor):
        return True
    if person is None:
        return False
    if person.pk == participant.reviewee_id:
        return review.kind == ReviewerKind.MANAGER and participant.released_at is not None
    return person.pk == participant.manager_id or is_manager_of(person, participant.reviewee)


def reads_as_reviewee(actor: Actor, participant: Participant) -> bool:
    """The reviewee never reads manager-only questions, whatever else they may read."""
    person = person_of(actor)
    return person is not None and person.pk == participant.reviewee_id


def readable_questions(actor: Actor, participant: Participant, questions: list[dict]) -> list[dict]:
    """The snapshot questions whose answers `actor` may read in this participant's reviews."""
    if not reads_as_reviewee(actor, participant):
        return questions
    return [question for question in questions if question["readers"] == AnswerReaders.EVERYONE]


def can_write_review(actor: Actor, review: Review) -> bool:
    """Only the author writes, and only while their review is not superseded nor released
    (the phase's dates are checked by the services, which say why a write is refused)."""
    person = person_of(actor)
    return (
        person is not None
        and person.pk == review.author_id
        and review.superseded_at is None
        and review.participant.released_at is None
    )


def can_acknowledge(actor: Actor, participant: Participant) -> bool:
    person = person_of(actor)
    return (
        person is not None
        and person.pk == participant.reviewee_id
        and participant.released_at is not None
    )


# Writing reviews (rev/writing) --------------------------------------------------------


def can_see_review_gap(actor: Actor, participant: Participant) -> bool:
    """The self/manager gap is for the reviewee's managers and HR, never the reviewee."""
    return can_view_participant(actor, participant) and not reads_as_reviewee(actor, participant)


# Calibration ------------------------------------------------------------------------------
#
# HR and owners open, target, lock and export sessions, and read all of each. A manager
# taking part reads a session, and within it only the people they may already read
# (`can_view_participant`: those whose manager review they write and everyone below them);
# every figure they see is computed over those people only. They adjust those people while
# the session is open. API keys read with `reviews:read`, open and lock with
# `reviews:write`, and adjust with `calibration:write`.

CALIBRATION_SCOPE = Scope.CALIBRATION_WRITE


def can_manage_calibration(actor: Actor) -> bool:
    return can_manage_cycles(actor)


def can_view_calibration(actor: Actor, session: CalibrationSession) -> bool:
    """HR, API keys with `reviews:read`, and the managers taking part."""
    if can_view_all_reviews(actor):
        return True
    person = person_of(actor)
    if person is None:
        return False
    return CalibrationManager.objects.filter(session=session, manager=person).exists()


def can_adjust_placement(actor: Actor, placement: CalibrationPlacement) -> bool:
    """HR, keys with `calibration:write`, or a manager taking part who may read the person
    (the session's state and the phase are checked by the service, which says why)."""
    if actor.is_api_client:
        return actor.has_scope(CALIBRATION_SCOPE)
    person = person_of(actor)
    if person is None:
        return False
    if person.is_hr:
        return True
    participant = placement.participant
    return (
        person.pk != participant.reviewee_id
        and can_view_participant(actor, participant)
        and can_view_calibration(actor, placement.session)
    )


def sees_calibration_menu(actor: Actor) -> bool:
    """HR, and whoever takes part in a session."""
    person = person_of(actor)
    if person is None:
        return False
    return person.is_hr or CalibrationManager.objects.filter(manager=person).exists()
