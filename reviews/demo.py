"""Demo review cycle for `manage.py seed_demo`: a scale, a template and a cycle in progress.

Self-assessments are open (closing in a few days), manager reviews have started; three
people have submitted their self-assessment and one review (Aisha's) is released, commented
and acknowledged, so every stage of the evaluate page has something to show. Anonymous peer
feedback is under way: nominations approved and waiting, a request to answer. Idempotent: the
scale, template and cycle are found again by name. Set-up goes through the services; the
launched state and the written answers are stored directly, as the launch and writing
pages would leave them (the demo's release happens before its release phase, which the
release service would rightly refuse).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from perfmgmt.tenancy.demo import DemoData, demo_loader
from perfmgmt.tenancy.models import Membership

from .demo_calibration import seed_calibration
from .models import (
    CyclePhase,
    CycleSnapshot,
    CycleStatus,
    NominationStatus,
    Participant,
    PeerNomination,
    PhaseKind,
    QuestionKind,
    RatingScale,
    Review,
    ReviewAnswer,
    ReviewCycle,
    ReviewerKind,
    ReviewStatus,
    ReviewTemplate,
)
from .peer_notices import peer_request_announce
from .plan_demo import seed_improvement_plan
from .retrospective_demo import seed_retrospective
from .services.setup import (
    LevelInput,
    rating_scale_create,
    review_template_create,
    template_question_create,
    template_section_create,
)
from .snapshots import template_snapshot

SCALE_NAME = "Five-point performance"
TEMPLATE_NAME = "Annual review"
CYCLE_NAME = "2026 annual review"
PEOPLE = ("employee", "lena", "priya", "ben", "aisha", "lukas")
SELF_SUBMITTED = ("employee", "lena", "ben", "aisha")
RELEASED = "aisha"


def _scale(hr: Membership) -> RatingScale:
    existing = RatingScale.objects.filter(name=SCALE_NAME).first()
    if existing is not None:
        return existing
    levels = [
        LevelInput(1, "Below expectations", "Misses most goals of the period."),
        LevelInput(2, "Partly meets", "Meets some goals; needs support on others."),
        LevelInput(3, "Meets expectations", "Delivers what was agreed."),
        LevelInput(4, "Exceeds", "Delivers more than agreed, helps others."),
        LevelInput(5, "Outstanding", "Shapes the team's results."),
    ]
    return rating_scale_create(actor=hr, name=SCALE_NAME, levels=levels)


def _template(hr: Membership) -> ReviewTemplate:
    existing = ReviewTemplate.objects.filter(name=TEMPLATE_NAME).first()
    if existing is not None:
        return existing
    scale = _scale(hr)
    template = review_template_create(actor=hr, name=TEMPLATE_NAME)
    results = template_section_create(actor=hr, template=template, title="Results", weight=60)
    growth = template_section_create(actor=hr, template=template, title="Growth", weight=40)
    both = [ReviewerKind.SELF, ReviewerKind.MANAGER]
    template_question_create(
        actor=hr,
        section=results,
        kind=QuestionKind.OVERALL,
        prompt="How did the period go overall?",
        answered_by=both,
        scale=scale,
        with_comment=True,
    )
    template_question_create(
        actor=hr,
        section=growth,
        kind=QuestionKind.TEXT,
        prompt="What will you learn next?",
        answered_by=both,
        required=False,
    )
    template_question_create(
        actor=hr,
        section=growth,
        kind=QuestionKind.TEXT,
        prompt="What should they keep doing?",
        answered_by=[ReviewerKind.PEER],
    )
    return template


def _phases(cycle: ReviewCycle) -> None:
    now = timezone.now()
    day = timedelta(days=1)
    windows = {
        PhaseKind.SELF: (now - 10 * day, now + 4 * day),
        PhaseKind.PEER: (now - 8 * day, now + 6 * day),
        PhaseKind.MANAGER: (now - 3 * day, now + 18 * day),
        PhaseKind.RELEASE: (now + 18 * day, now + 25 * day),
        PhaseKind.ACKNOWLEDGEMENT: (now + 18 * day, now + 39 * day),
    }
    for kind, (opens, closes) in windows.items():
        CyclePhase.objects.create(cycle=cycle, kind=kind, opens_at=opens, closes_at=closes)


def _submit(review: Review, snapshot: CycleSnapshot, rating: int, text: str) -> None:
    questions = [q for s in snapshot.data["sections"] for q in s["questions"]]
    for question in questions:
        if review.kind not in question["answered_by"]:
            continue
        if question["kind"] == QuestionKind.TEXT:
            ReviewAnswer.objects.create(review=review, question_id=question["id"], text=text)
        else:
            ReviewAnswer.objects.create(
                review=review, question_id=question["id"], rating=Decimal(rating)
            )
    now = timezone.now()
    review.status = ReviewStatus.SUBMITTED
    review.started_at = review.updated_at = review.submitted_at = now
    review.save()


def seed_review_cycle(*, people: dict[str, Membership]) -> ReviewCycle | None:
    """The demo cycle, created once; None for an organization it was not written for."""
    if not {"hr", *PEOPLE} <= set(people):
        return None
    existing = ReviewCycle.objects.filter(name=CYCLE_NAME).first()
    if existing is not None:
        return existing
    hr = people["hr"]
    template = _template(hr)
    now = timezone.now()
    cycle = ReviewCycle.objects.create(
        name=CYCLE_NAME,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        template=template,
        status=CycleStatus.ACTIVE,
        created_by=hr,
        launched_at=now,
        launch_total=len(PEOPLE),
        launch_done=len(PEOPLE),
    )
    _phases(cycle)
    snapshot = CycleSnapshot.objects.create(
        cycle=cycle, source_template_id=template.pk, data=template_snapshot(template)
    )
    for key in PEOPLE:
        person = people[key]
        participant = Participant.objects.create(
            cycle=cycle, reviewee=person, manager=person.manager, snapshot=snapshot
        )
        own = Review.objects.create(participant=participant, kind=ReviewerKind.SELF, author=person)
        if key in SELF_SUBMITTED:
            _submit(own, snapshot, 4, "A course on system design.")
        if person.manager is None:
            continue
        manager_review = Review.objects.create(
            participant=participant, kind=ReviewerKind.MANAGER, author=person.manager
        )
        if key == RELEASED:
            _submit(manager_review, snapshot, 4, "Lead the next customer onboarding.")
            Participant.objects.filter(pk=participant.pk).update(
                released_at=now,
                released_by=hr,
                employee_comment="Agreed: I will lead the next onboarding.",
                commented_at=now,
                acknowledged_at=now,
            )
    _peer_feedback(cycle, people)
    return cycle


def _peer_feedback(cycle: ReviewCycle, people: dict[str, Membership]) -> None:
    """Anonymous peer feedback under way: Emil's peers Lena and Priya are approved (Priya
    has answered), Ben waits for Marta's approval; Lena asked Emil, who has yet to answer."""
    participants = {p.reviewee_id: p for p in Participant.objects.filter(cycle=cycle)}
    emil, lena = participants[people["employee"].pk], participants[people["lena"].pk]
    asked = [
        (emil, "lena", NominationStatus.APPROVED),
        (emil, "priya", NominationStatus.APPROVED),
        (emil, "ben", NominationStatus.NOMINATED),
        (lena, "employee", NominationStatus.APPROVED),
    ]
    for participant, key, status in asked:
        peer = people[key]
        PeerNomination.objects.create(
            participant=participant,
            peer=peer,
            status=status,
            nominated_by=participant.reviewee,
            decided_by=participant.manager if status == NominationStatus.APPROVED else None,
        )
        if status != NominationStatus.APPROVED:
            continue
        review = Review.objects.create(participant=participant, kind=ReviewerKind.PEER, author=peer)
        peer_request_announce(review=review, peer=peer)  # Emil's inbox: Lena asks him
        if key == "priya":
            _submit(review, participant.snapshot, 4, "Pairing with newcomers on hard bugs.")


@demo_loader(order=40)
def load_reviews(demo: DemoData) -> None:
    seed_review_cycle(people=demo.people)
    seed_improvement_plan(people=demo.people)
    hr = demo.people.get("hr")
    if hr is not None and {"hr", *PEOPLE} <= set(demo.people):
        seed_calibration(people=demo.people, scale=_scale(hr))
        seed_retrospective(people=demo.people, template=_template(hr))
