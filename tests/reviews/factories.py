"""Review set-up and cycles built directly, for tests of what comes after a launch.

`running_cycle` makes a cycle that is already launched (snapshot, participants, their self
and manager reviews) without going through the launch service, so the tests of writing,
release and reminders do not depend on it; the launch has tests of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.utils import timezone

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from reviews.models import (
    AnswerReaders,
    CyclePhase,
    CycleSnapshot,
    CycleStatus,
    Participant,
    PhaseKind,
    QuestionKind,
    RatingScale,
    Review,
    ReviewCycle,
    ReviewerKind,
    ReviewTemplate,
)
from reviews.services.setup import (
    LevelInput,
    rating_scale_create,
    review_template_create,
    template_question_create,
    template_section_create,
)
from reviews.snapshots import template_snapshot
from tests.conftest import OrgPeople

FIVE = [
    LevelInput(1, "Below expectations", "Misses most goals."),
    LevelInput(2, "Partly meets"),
    LevelInput(3, "Meets expectations"),
    LevelInput(4, "Exceeds"),
    LevelInput(5, "Outstanding"),
]


def make_scale(org: OrgPeople, name: str = "Five points") -> RatingScale:
    with organization_scope(org.organization):
        return rating_scale_create(actor=org.hr, name=name, levels=FIVE)


def make_template(org: OrgPeople, name: str = "Annual review") -> ReviewTemplate:
    """Two weighted sections: an overall rating both answer, a free text both answer, a
    manager-only 'potential' rating the reviewee never reads."""
    scale = make_scale(org, name=f"{name} scale")
    with organization_scope(org.organization):
        template = review_template_create(actor=org.hr, name=name)
        results = template_section_create(
            actor=org.hr, template=template, title="Results", weight=60
        )
        growth = template_section_create(actor=org.hr, template=template, title="Growth", weight=40)
        template_question_create(
            actor=org.hr,
            section=results,
            kind=QuestionKind.OVERALL,
            prompt="How did the period go overall?",
            answered_by=[ReviewerKind.SELF, ReviewerKind.MANAGER],
            scale=scale,
            with_comment=True,
        )
        template_question_create(
            actor=org.hr,
            section=growth,
            kind=QuestionKind.TEXT,
            prompt="What will you learn next?",
            answered_by=[ReviewerKind.SELF, ReviewerKind.MANAGER],
            required=False,
        )
        template_question_create(
            actor=org.hr,
            section=growth,
            kind=QuestionKind.RATING,
            prompt="Potential",
            answered_by=[ReviewerKind.MANAGER],
            scale=scale,
            readers=AnswerReaders.MANAGERS,
        )
        return template


def default_phases(start: datetime) -> dict[str, tuple[datetime, datetime]]:
    """Self two weeks from `start`, manager the two after, release, acknowledgement."""
    day = timedelta(days=1)
    return {
        PhaseKind.SELF: (start, start + 14 * day),
        PhaseKind.MANAGER: (start + 7 * day, start + 28 * day),
        PhaseKind.RELEASE: (start + 28 * day, start + 35 * day),
        PhaseKind.ACKNOWLEDGEMENT: (start + 28 * day, start + 49 * day),
    }


def running_cycle(
    org: OrgPeople,
    people: Sequence[Membership],
    *,
    template: ReviewTemplate | None = None,
    name: str = "2026 annual",
    phases: dict[str, tuple[datetime, datetime]] | None = None,
) -> ReviewCycle:
    """A launched cycle: each person a participant with a self review and, when they have a
    manager, a manager review by that manager. Phases default to self open now."""
    template = template or make_template(org, name=f"{name} template")
    phases = phases or default_phases(timezone.now() - timedelta(days=1))
    with organization_scope(org.organization):
        cycle = ReviewCycle.objects.create(
            name=name,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            template=template,
            status=CycleStatus.ACTIVE,
            created_by=org.hr,
            launched_at=timezone.now(),
            launch_total=len(people),
            launch_done=len(people),
        )
        for kind, (opens, closes) in phases.items():
            CyclePhase.objects.create(cycle=cycle, kind=kind, opens_at=opens, closes_at=closes)
        snapshot = CycleSnapshot.objects.create(
            cycle=cycle, source_template_id=template.pk, data=template_snapshot(template)
        )
        for person in people:
            participant = Participant.objects.create(
                cycle=cycle, reviewee=person, manager=person.manager, snapshot=snapshot
            )
            Review.objects.create(participant=participant, kind=ReviewerKind.SELF, author=person)
            if person.manager is not None:
                Review.objects.create(
                    participant=participant, kind=ReviewerKind.MANAGER, author=person.manager
                )
        return cycle
