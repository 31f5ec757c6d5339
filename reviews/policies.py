"""Who may set up reviews, and who reads and writes what in a cycle.

HR admins and owners build rating scales and templates; every member may read them (a
template says what will be asked, and of whom: there is nothing secret in it). API keys
read them with `reviews:read` and change them with `reviews:write`.
"""

from __future__ import annotations

from django.db.models import OuterRef, Q

from perfmgmt.api.models import Scope
from perfmgmt.tenancy import facts
from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.policies import Actor, is_manager_of, person_of
from perfmgmt.tenancy.selectors import reports_below

from .models import (
    PERSON_READS_STATUSES,
    PRIVATE_AUTHOR_KINDS,
    AnswerReaders,
    CalibrationManager,
    CalibrationPlacement,
    CalibrationSession,
    ImprovementPlan,
    Participant,
    PlanStatus,
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
    if answered_by in PRIVATE_AUTHOR_KINDS:
        kinds.append("aggregated")
    elif answered_by == ReviewerKind.SELF:
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

    A peer's or a direct report's review is its author's alone, whoever else asks: the
    others read its answers only combined with the group's (`peer_results_readable`).
    """
    person = person_of(actor)
    if person is not None and person.pk == review.author_id:
        return True
    if review.kind in PRIVATE_AUTHOR_KINDS:
        return False
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


# Peer and upward feedback (reviews.peers) -----------------------------------------------


def can_nominate_peers(actor: Actor, participant: Participant) -> bool:
    """The reviewee nominates their own peers; their manager (and HR) add and decide."""
    person = person_of(actor)
    if person is not None and person.pk == participant.reviewee_id:
        return True
    return can_decide_nominations(actor, participant)


def can_decide_nominations(actor: Actor, participant: Participant) -> bool:
    """Whoever writes the manager review, the reviewee's managers at any level, and HR
    approve, remove or add peers; never the reviewee themself."""
    if reads_as_reviewee(actor, participant):
        return False
    if actor.is_api_client:
        return actor.has_scope(WRITE_SCOPE)
    return can_view_participant(actor, participant)


def can_view_nominations(actor: Actor, participant: Participant) -> bool:
    """Who was asked is known to the reviewee, their managers and HR (not who answered)."""
    return can_view_participant(actor, participant)


def peer_results_readable(actor: Actor, participant: Participant, *, peer_closed: bool) -> bool:
    """Who reads a participant's combined peer and upward feedback, and from when: their
    managers and HR once the peer phase has closed (so the combined answers no longer
    change as each person submits, which would tell who wrote what), the reviewee once
    their review is released. The author of each answer is never part of it."""
    if not peer_closed or not can_view_participant(actor, participant):
        return False
    if reads_as_reviewee(actor, participant):
        return participant.released_at is not None
    return True


def group_shown(*, respondents: int, threshold: int, anonymous: bool) -> bool:
    """A group's answers are shown only when at least `threshold` people of that kind
    answered (an anonymous cycle); a named cycle shows what was answered."""
    return respondents >= threshold or (not anonymous and respondents > 0)


# Performance improvement plans (s19/pips) ---------------------------------------------
#
# A plan is read by the person (once HR approved it), everyone above them in the reporting
# line, HR admins and owners, and API keys with `reviews:read`; never by peers or anyone
# else. `improvement_plan_readers` is the rule as SQL: every page, API answer, PDF, agenda
# item, email and notification about a plan reads it through
# reviews.selectors.improvement_plans, which applies it.


def improvement_plan_readers(actor: Actor) -> Q:
    """The plans `actor` may read, as a filter on ImprovementPlan (no Python id list: the
    reporting line below the reader is a recursive subquery)."""
    if actor.is_api_client:
        return Q() if actor.has_scope(READ_SCOPE) else Q(pk__in=[])
    person = person_of(actor)
    if person is None:
        return Q(pk__in=[])
    own = Q(person=person.pk, status__in=PERSON_READS_STATUSES)
    if person.is_hr:
        return ~Q(person=person.pk) | own
    return own | Q(person__in=reports_below(manager=person))


def can_draft_improvement_plans(actor: Actor) -> bool:
    """A person drafts plans (for someone below them; the service checks whom)."""
    return person_of(actor) is not None


def can_change_improvement_plan(actor: Actor, plan: ImprovementPlan) -> bool:
    """Someone above the person edits and submits a draft or a plan HR sent back."""
    person = person_of(actor)
    return (
        person is not None
        and plan.is_editable
        and person.pk != plan.person_id
        and is_manager_of(person, plan.person)
    )


def can_approve_improvement_plan(actor: Actor, plan: ImprovementPlan) -> bool:
    """HR approves (or sends back) a submitted plan: not one about themselves, not one they
    drafted (someone else looks at it)."""
    person = person_of(actor)
    return (
        person is not None
        and person.is_hr
        and person.pk not in (plan.person_id, plan.drafted_by_id)
        and plan.status == PlanStatus.SUBMITTED
    )


def can_acknowledge_improvement_plan(actor: Actor, plan: ImprovementPlan) -> bool:
    person = person_of(actor)
    return (
        person is not None
        and person.pk == plan.person_id
        and plan.status in (PlanStatus.APPROVED, PlanStatus.CLOSED)
        and plan.acknowledged_at is None
    )


def can_decide_improvement_plan_outcome(actor: Actor, plan: ImprovementPlan) -> bool:
    """Who decides a plan's outcome: someone above the person, or HR (not about themselves)."""
    person = person_of(actor)
    if person is None or person.pk == plan.person_id:
        return False
    return person.is_hr or is_manager_of(person, plan.person)


def can_record_improvement_plan_outcome(actor: Actor, plan: ImprovementPlan) -> bool:
    """Whether the outcome form is offered: to who decides, once the plan is approved."""
    return plan.status == PlanStatus.APPROVED and can_decide_improvement_plan_outcome(actor, plan)


# Read with the membership of every page (the menu asks them on each one).
HAS_REPORTS = facts.register(
    facts.MembershipFact("reviews_has_reports", Membership, Q(manager=OuterRef("pk")))
)
HAS_A_READABLE_PLAN = facts.register(
    facts.MembershipFact(
        "reviews_has_a_readable_plan",
        ImprovementPlan,
        Q(person=OuterRef("pk"), status__in=PERSON_READS_STATUSES),
    )
)


def can_see_improvement_plans(actor: Actor) -> bool:
    """The menu entry: for HR, for anyone with reports, and for a person whose plan was
    approved (a fact of the membership look-up; the list itself still reads through the
    selector)."""
    person = person_of(actor)
    if person is None:
        return False
    return (
        person.is_hr
        or bool(facts.value(person, HAS_REPORTS))
        or bool(facts.value(person, HAS_A_READABLE_PLAN))
    )


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


# Read with the membership of every page (the menu asks it on each one).
TAKES_PART_IN_CALIBRATION = facts.register(
    facts.MembershipFact(
        "reviews_takes_part_in_calibration", CalibrationManager, Q(manager=OuterRef("pk"))
    )
)


def sees_calibration_menu(actor: Actor) -> bool:
    """HR, and whoever takes part in a session."""
    person = person_of(actor)
    if person is None:
        return False
    return person.is_hr or bool(facts.value(person, TAKES_PART_IN_CALIBRATION))


# Retrospectives --------------------------------------------------------------------------
#
# Who answers is the selector's (`selectors.retrospectives.invited_people`): the people the
# cycle reviewed and everyone asked to write a review in it, who can still sign in.


def can_run_retrospectives(actor: Actor) -> bool:
    """HR opens a retrospective by hand and creates the next cycle (keys: reviews:write)."""
    return can_manage_cycles(actor)


def can_read_retrospective_results(actor: Actor) -> bool:
    """HR reads a retrospective's combined results; so does an API key with `reviews:read`,
    which is given the same aggregate and nothing more."""
    return can_view_all_reviews(actor)
