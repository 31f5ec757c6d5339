"""Demo calibration for `manage.py seed_demo`: a finished year-end cycle in its calibration
phase with a session HR opened for both teams, a target distribution, and one adjustment.

Marta (Engineering) rated generously and Sofia (Sales) strictly, so the leniency signal and
the self/manager gaps have something to show; potential comes from a manager-only question.
The cycle's launched state and written answers are stored directly, as the other demo
cycle's are; the session, target and adjustment go through the services. Idempotent: the
cycle is found again by name.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from perfmgmt.tenancy.models import Membership

from .models import (
    AnswerReaders,
    CyclePhase,
    CycleSnapshot,
    CycleStatus,
    Participant,
    PhaseKind,
    QuestionKind,
    RatingScale,
    Review,
    ReviewAnswer,
    ReviewCycle,
    ReviewerKind,
    ReviewStatus,
    ReviewTemplate,
    SessionGroup,
)
from .services import calibration as calibration_services
from .services.setup import (
    review_template_create,
    template_question_create,
    template_section_create,
)
from .snapshots import template_snapshot

CYCLE_NAME = "2025 year-end review"
TEMPLATE_NAME = "Year-end review with potential"
# person: (self rating, manager rating, potential rating)
RATINGS = {
    "employee": (4, 5, 4),
    "lena": (3, 4, 5),
    "priya": (4, 5, 3),
    "ben": (4, 3, 2),
    "aisha": (5, 3, 5),
    "lukas": (3, 2, 3),
}


def _template(hr: Membership, scale: RatingScale) -> ReviewTemplate:
    existing = ReviewTemplate.objects.filter(name=TEMPLATE_NAME).first()
    if existing is not None:
        return existing
    template = review_template_create(actor=hr, name=TEMPLATE_NAME)
    section = template_section_create(actor=hr, template=template, title="Results")
    template_question_create(
        actor=hr,
        section=section,
        kind=QuestionKind.OVERALL,
        prompt="How did the year go overall?",
        answered_by=[ReviewerKind.SELF, ReviewerKind.MANAGER],
        scale=scale,
    )
    template_question_create(
        actor=hr,
        section=section,
        kind=QuestionKind.RATING,
        prompt="Potential for a bigger role",
        answered_by=[ReviewerKind.MANAGER],
        scale=scale,
        readers=AnswerReaders.MANAGERS,
    )
    return template


def _phases(cycle: ReviewCycle) -> None:
    now = timezone.now()
    day = timedelta(days=1)
    windows = {
        PhaseKind.SELF: (now - 60 * day, now - 40 * day),
        PhaseKind.MANAGER: (now - 50 * day, now - 5 * day),
        PhaseKind.CALIBRATION: (now - 4 * day, now + 10 * day),
        PhaseKind.RELEASE: (now + 10 * day, now + 17 * day),
        PhaseKind.ACKNOWLEDGEMENT: (now + 10 * day, now + 31 * day),
    }
    for kind, (opens, closes) in windows.items():
        CyclePhase.objects.create(cycle=cycle, kind=kind, opens_at=opens, closes_at=closes)


def _write(review: Review, answers: dict[int, int]) -> None:
    for question_id, rating in answers.items():
        ReviewAnswer.objects.create(review=review, question_id=question_id, rating=Decimal(rating))
    now = timezone.now()
    review.status = ReviewStatus.SUBMITTED
    review.started_at = review.updated_at = review.submitted_at = now
    review.save()


def _cycle(people: dict[str, Membership], scale: RatingScale) -> ReviewCycle:
    hr = people["hr"]
    template = _template(hr, scale)
    cycle = ReviewCycle.objects.create(
        name=CYCLE_NAME,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        template=template,
        status=CycleStatus.ACTIVE,
        created_by=hr,
        launched_at=timezone.now(),
        launch_total=len(RATINGS),
        launch_done=len(RATINGS),
    )
    _phases(cycle)
    snapshot = CycleSnapshot.objects.create(
        cycle=cycle, source_template_id=template.pk, data=template_snapshot(template)
    )
    overall, potential = (q["id"] for q in snapshot.data["sections"][0]["questions"])
    for key, (own, managers, grown) in RATINGS.items():
        person = people[key]
        participant = Participant.objects.create(
            cycle=cycle, reviewee=person, manager=person.manager, snapshot=snapshot
        )
        _write(
            Review.objects.create(participant=participant, kind=ReviewerKind.SELF, author=person),
            {overall: own},
        )
        if person.manager is not None:
            review = Review.objects.create(
                participant=participant, kind=ReviewerKind.MANAGER, author=person.manager
            )
            _write(review, {overall: managers, potential: grown})
    return cycle


def seed_calibration(*, people: dict[str, Membership], scale: RatingScale) -> ReviewCycle | None:
    """The demo's calibration cycle and session, created once."""
    if not {"hr", "manager", "manager2", *RATINGS} <= set(people):
        return None
    existing = ReviewCycle.objects.filter(name=CYCLE_NAME).first()
    if existing is not None:
        return existing
    hr = people["hr"]
    cycle = _cycle(people, scale)
    snapshot = CycleSnapshot.objects.get(cycle=cycle)
    potential = snapshot.data["sections"][0]["questions"][1]["id"]
    session = calibration_services.session_open(
        actor=hr,
        cycle=cycle,
        data=calibration_services.SessionInput(
            name="Engineering and Sales",
            group=SessionGroup.ORGANIZATION,
            managers=[people["manager"], people["manager2"]],
            potential_question_id=potential,
        ),
    )
    calibration_services.session_target_set(
        actor=hr, session=session, shares={"1": 10, "2": 20, "3": 40, "4": 20, "5": 10}
    )
    placement = session.placements.get(participant__reviewee=people["priya"])
    calibration_services.placement_adjust(
        actor=hr,
        placement=placement,
        change=calibration_services.PlacementChange(rating="4"),
        reason="Strong year, but the release slipped twice; 4 matches peers with similar results.",
    )
    return cycle
