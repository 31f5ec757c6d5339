"""The cycle's data holds its own rules: one open review per kind, phases in time, the
policies' answers about who reads what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from reviews import policies
from reviews.models import CyclePhase, PhaseKind, Review, ReviewerKind, ReviewStatus
from reviews.phases import Window, phase_errors
from tests.conftest import OrgPeople
from tests.reviews.factories import running_cycle

pytestmark = pytest.mark.django_db


def test_a_participant_has_one_open_review_of_each_kind(scope, org: OrgPeople) -> None:
    cycle = running_cycle(org, [org.report])
    participant = cycle.participants.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(participant=participant, kind=ReviewerKind.SELF, author=org.report)
    # A superseded one may stay beside the open one.
    old = participant.reviews.get(kind=ReviewerKind.MANAGER)
    old.superseded_at = timezone.now()
    old.save()
    Review.objects.create(participant=participant, kind=ReviewerKind.MANAGER, author=org.hr)
    assert participant.reviews.filter(kind=ReviewerKind.MANAGER).count() == 2


def test_a_phase_that_closes_before_it_opens_is_refused_by_the_database(scope, org) -> None:
    cycle = running_cycle(org, [org.report])
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        CyclePhase.objects.filter(cycle=cycle, kind=PhaseKind.SELF).update(
            closes_at=now - timedelta(days=30)
        )


def test_phases_out_of_order_are_explained_by_phase(scope, org) -> None:
    now = timezone.now()
    day = timedelta(days=1)
    phases = [
        Window(PhaseKind.SELF, now, now + 10 * day),
        Window(PhaseKind.MANAGER, now - day, now + 20 * day),
        Window(PhaseKind.RELEASE, now + 15 * day, now + 30 * day),
        Window(PhaseKind.ACKNOWLEDGEMENT, now + 31 * day, now + 30 * day),
    ]
    errors = phase_errors(phases)
    assert set(errors) == {PhaseKind.MANAGER, PhaseKind.RELEASE, PhaseKind.ACKNOWLEDGEMENT}
    assert phase_errors(phases[:1]) == {}


def test_a_draft_is_its_authors_alone_and_a_manager_review_waits_for_release(scope, org) -> None:
    cycle = running_cycle(org, [org.report])
    participant = cycle.participants.get()
    own = participant.reviews.get(kind=ReviewerKind.SELF)
    manager_review = participant.reviews.get(kind=ReviewerKind.MANAGER)
    assert policies.can_read_review(org.report, own)
    assert not policies.can_read_review(org.manager, own)
    assert not policies.can_read_review(org.hr, own)
    own.status, own.submitted_at = ReviewStatus.SUBMITTED, timezone.now()
    own.save()
    assert policies.can_read_review(org.manager, own)
    assert policies.can_read_review(org.hr, own)
    assert not policies.can_read_review(org.colleague, own)
    manager_review.status, manager_review.submitted_at = ReviewStatus.SUBMITTED, timezone.now()
    manager_review.save()
    assert not policies.can_read_review(org.report, manager_review)
    participant.released_at = timezone.now()
    participant.save()
    manager_review.participant = participant
    assert policies.can_read_review(org.report, manager_review)
    questions = participant.snapshot.data["sections"][1]["questions"]
    prompts = [q["prompt"] for q in policies.readable_questions(org.report, participant, questions)]
    assert prompts == ["What will you learn next?"]
    everyone = policies.readable_questions(org.manager, participant, questions)
    assert [q["prompt"] for q in everyone] == ["What will you learn next?", "Potential"]
