"""Demo retrospective for `manage.py seed_demo`: last half-year's cycle, closed, whose
retrospective is open with enough answers (above the cycle's threshold) to show results.

The cycle's launched and closed state is stored directly, as the other demo cycles' are;
the retrospective opens and is answered through the services. Idempotent: the cycle is
found again by name.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from perfmgmt.tenancy.models import Membership

from .models import (
    CyclePhase,
    CycleSnapshot,
    CycleStatus,
    Participant,
    PhaseKind,
    Review,
    ReviewCycle,
    ReviewerKind,
    ReviewTemplate,
)
from .retrospective_questions import QUESTION_KEYS
from .services.retrospectives import retrospective_answer, retrospective_open
from .snapshots import template_snapshot

CYCLE_NAME = "2025 mid-year review"
PEOPLE = ("employee", "lena", "priya", "ben", "aisha", "lukas")
# person: (goals realistic, feedback useful, enough time, clear and fair, comment)
ANSWERS = {
    "employee": (4, 5, 2, 4, "Give the self-assessment one more week."),
    "lena": (3, 4, 2, 4, "Peer feedback was the most useful part."),
    "priya": (4, 4, 3, 5, ""),
    "ben": (2, 3, 2, 3, "Set goals earlier in the year, they came late."),
}


def _closed_cycle(hr: Membership, template: ReviewTemplate) -> ReviewCycle:
    now = timezone.now()
    day = timedelta(days=1)
    cycle = ReviewCycle.objects.create(
        name=CYCLE_NAME,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
        template=template,
        status=CycleStatus.CLOSED,
        created_by=hr,
        launched_at=now - 60 * day,
        closed_at=now - 3 * day,
        launch_total=len(PEOPLE),
        launch_done=len(PEOPLE),
    )
    windows = {
        PhaseKind.SELF: (now - 60 * day, now - 45 * day),
        PhaseKind.MANAGER: (now - 50 * day, now - 30 * day),
        PhaseKind.RELEASE: (now - 30 * day, now - 20 * day),
        PhaseKind.ACKNOWLEDGEMENT: (now - 30 * day, now - 3 * day),
    }
    for kind, (opens, closes) in windows.items():
        CyclePhase.objects.create(
            cycle=cycle, kind=kind, opens_at=opens, closes_at=closes, opened_at=opens
        )
    return cycle


def seed_retrospective(*, people: dict[str, Membership], template: ReviewTemplate) -> None:
    if not {"hr", *PEOPLE} <= set(people) or ReviewCycle.objects.filter(name=CYCLE_NAME).exists():
        return
    hr = people["hr"]
    cycle = _closed_cycle(hr, template)
    snapshot = CycleSnapshot.objects.create(
        cycle=cycle, source_template_id=template.pk, data=template_snapshot(template)
    )
    for key in PEOPLE:
        person = people[key]
        participant = Participant.objects.create(
            cycle=cycle, reviewee=person, manager=person.manager, snapshot=snapshot
        )
        Review.objects.create(participant=participant, kind=ReviewerKind.SELF, author=person)
        if person.manager is not None:
            Review.objects.create(
                participant=participant, kind=ReviewerKind.MANAGER, author=person.manager
            )
    retrospective = retrospective_open(actor=hr, cycle=cycle)
    for key, (*scores, comment) in ANSWERS.items():
        keyed = dict(zip(QUESTION_KEYS, scores, strict=True))
        retrospective_answer(
            actor=people[key], retrospective=retrospective, scores=keyed, comment=comment
        )
