"""Review set-up objects for tests/test_isolation.py (made by the owner's HR rights)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models

from perfmgmt.tenancy.context import organization_scope
from reviews.models import (
    CalibrationPlacement,
    CalibrationSession,
    Participant,
    QuestionKind,
    RatingScale,
    Review,
    ReviewAnswer,
    ReviewCycle,
    ReviewTemplate,
    TemplateQuestion,
    TemplateSection,
)
from reviews.services import setup as services
from reviews.services.setup import LevelInput
from tests.conftest import OrgPeople


def make_isolation_scale(people: OrgPeople) -> RatingScale:
    with organization_scope(people.organization):
        number = RatingScale.objects.count()
        return services.rating_scale_create(
            actor=people.owner,
            name=f"Scale {number}",
            levels=[LevelInput(1, "Low"), LevelInput(2, "High")],
        )


def make_isolation_template(people: OrgPeople) -> ReviewTemplate:
    with organization_scope(people.organization):
        number = ReviewTemplate.objects.count()
        return services.review_template_create(actor=people.owner, name=f"Template {number}")


def make_isolation_section(people: OrgPeople) -> TemplateSection:
    template = make_isolation_template(people)
    with organization_scope(people.organization):
        return services.template_section_create(
            actor=people.owner, template=template, title="Results"
        )


def make_isolation_question(people: OrgPeople) -> TemplateQuestion:
    section = make_isolation_section(people)
    with organization_scope(people.organization):
        return services.template_question_create(
            actor=people.owner,
            section=section,
            kind=QuestionKind.TEXT,
            prompt="What went well?",
            answered_by=["self"],
        )


REVIEWS_OBJECT_KWARGS: dict[str, type[models.Model]] = {
    "scale_id": RatingScale,
    "template_id": ReviewTemplate,
    "section_id": TemplateSection,
    "question_id": TemplateQuestion,
}

REVIEWS_MAKERS: dict[type[models.Model], Callable[[OrgPeople], models.Model]] = {
    RatingScale: make_isolation_scale,
    ReviewTemplate: make_isolation_template,
    TemplateSection: make_isolation_section,
    TemplateQuestion: make_isolation_question,
}


# Release, acknowledgement and progress (rev/release) -----------------------------------


def make_isolation_cycle(people: OrgPeople) -> ReviewCycle:
    from tests.reviews.factories import running_cycle

    with organization_scope(people.organization):
        number = ReviewCycle.objects.count()
    return running_cycle(people, [people.report], name=f"Isolation cycle {number}")


def make_isolation_participant(people: OrgPeople) -> Participant:
    cycle = make_isolation_cycle(people)
    with organization_scope(people.organization):
        return cycle.participants.get()


REVIEWS_OBJECT_KWARGS.update({"cycle_id": ReviewCycle, "participant_id": Participant})
REVIEWS_MAKERS.update({ReviewCycle: make_isolation_cycle, Participant: make_isolation_participant})


def make_isolation_answer(people: OrgPeople) -> ReviewAnswer:
    participant = make_isolation_participant(people)
    with organization_scope(people.organization):
        review = participant.reviews.get(kind="self")
        return ReviewAnswer.objects.create(review=review, question_id=1, text="Isolated")


REVIEWS_OBJECT_KWARGS["answer_id"] = ReviewAnswer
REVIEWS_MAKERS[ReviewAnswer] = make_isolation_answer
# Writing reviews (rev/writing) ----------------------------------------------------------


def make_isolation_review(people: OrgPeople) -> Review:
    """A submitted manager review the owner wrote: the owner (as author and HR) and an API
    key with reviews:read both read it in their own organization."""
    from django.utils import timezone

    from tests.factories import MembershipFactory
    from tests.reviews.factories import running_cycle

    reviewee = MembershipFactory.create(organization=people.organization, manager=people.owner)
    with organization_scope(people.organization):
        number = Review.objects.count()
    running_cycle(people, [reviewee], name=f"Isolation cycle {number}")
    with organization_scope(people.organization):
        review = Review.objects.get(participant__reviewee=reviewee, kind="manager")
        review.status = "submitted"
        review.submitted_at = timezone.now()
        review.save()
        return review


REVIEWS_OBJECT_KWARGS["review_id"] = Review
REVIEWS_MAKERS[Review] = make_isolation_review


def make_isolation_reviewed_participant(people: OrgPeople) -> Participant:
    with organization_scope(people.organization):
        return make_isolation_review(people).participant


# Another branch may add a participant maker too: keep whichever comes first.
REVIEWS_OBJECT_KWARGS.setdefault("participant_id", Participant)
REVIEWS_MAKERS.setdefault(Participant, make_isolation_reviewed_participant)


# Peer and upward feedback ---------------------------------------------------------------


def make_isolation_nomination(people: OrgPeople):
    """An approved nomination in a cycle with a peer phase (HR, the owner, reads it)."""
    from reviews.models import PeerNomination
    from tests.factories import MembershipFactory
    from tests.reviews.peer_helpers import approve_peers, peer_cycle

    reviewee = MembershipFactory.create(organization=people.organization, manager=people.owner)
    with organization_scope(people.organization):
        number = ReviewCycle.objects.count()
    cycle = peer_cycle(people, [reviewee], name=f"Isolation peer cycle {number}")
    with organization_scope(people.organization):
        participant = cycle.participants.get()
        approve_peers(participant, [people.colleague])
        return PeerNomination.objects.get(participant=participant)


def _nomination_kwargs() -> None:
    from reviews.models import PeerNomination

    REVIEWS_OBJECT_KWARGS["nomination_id"] = PeerNomination
    REVIEWS_MAKERS[PeerNomination] = make_isolation_nomination


_nomination_kwargs()
# Performance improvement plans (s19/pips) ----------------------------------------------


def make_isolation_improvement_plan(people: OrgPeople) -> models.Model:
    """An approved plan about the report: the owner (HR) and keys with reviews:read read it."""
    from tests.reviews.plan_helpers import make_plan

    return make_plan(people, approve=True)


from reviews.models import ImprovementPlan  # noqa: E402

REVIEWS_OBJECT_KWARGS["improvement_plan_id"] = ImprovementPlan
REVIEWS_MAKERS[ImprovementPlan] = make_isolation_improvement_plan
# Calibration -------------------------------------------------------------------------------


def make_isolation_session(people: OrgPeople) -> CalibrationSession:
    """A session of a cycle in its calibration phase (the reviewee reports to the owner)."""
    from tests.factories import MembershipFactory
    from tests.reviews.calibration_helpers import calibration_cycle, open_session

    reviewee = MembershipFactory.create(organization=people.organization, manager=people.owner)
    with organization_scope(people.organization):
        number = CalibrationSession.objects.count()
    cycle = calibration_cycle(people, [reviewee], name=f"Calibration cycle {number}")
    return open_session(people, cycle, name=f"Session {number}")


def make_isolation_placement(people: OrgPeople) -> CalibrationPlacement:
    session = make_isolation_session(people)
    with organization_scope(people.organization):
        return session.placements.get()


REVIEWS_OBJECT_KWARGS.update(
    {"session_id": CalibrationSession, "placement_id": CalibrationPlacement}
)
REVIEWS_MAKERS.update(
    {CalibrationSession: make_isolation_session, CalibrationPlacement: make_isolation_placement}
)
# Retrospectives ----------------------------------------------------------------------------


def make_isolation_retrospective(people: OrgPeople) -> models.Model:
    """An open retrospective of a cycle the owner took part in (writing the manager review of
    their report), so the owner both answers it and, as HR, reads its results."""
    from reviews.services.retrospectives import retrospective_open
    from tests.reviews.factories import running_cycle

    with organization_scope(people.organization):
        number = ReviewCycle.objects.count()
    cycle = running_cycle(people, [people.manager], name=f"Retrospective cycle {number}")
    with organization_scope(people.organization):
        return retrospective_open(actor=people.hr, cycle=cycle)


from reviews.models import Retrospective  # noqa: E402

REVIEWS_OBJECT_KWARGS["retrospective_id"] = Retrospective
REVIEWS_MAKERS[Retrospective] = make_isolation_retrospective
