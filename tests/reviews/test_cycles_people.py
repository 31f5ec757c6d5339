"""Per-person changes in a running cycle: late joiners, extensions, reopening, a manager change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from perfmgmt.audit.models import AuditEntry
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from perfmgmt.notifications.models import Notification
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import MembershipStatus
from perfmgmt.tenancy.services import member_deactivate, member_update
from reviews.models import Participant, Review, ReviewAnswer, ReviewerKind, ReviewStatus
from reviews.selectors.cycles import late_joiner_preview, manager_change_preview
from reviews.services.cycles.people import (
    participant_add_late,
    participant_extend,
    participant_manager_change,
    participants_follow_managers,
    review_reopen,
)
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory
from tests.reviews.factories import running_cycle

pytestmark = pytest.mark.django_db


def test_a_late_joiner_is_previewed_then_added_once_and_told(org: OrgPeople) -> None:
    cycle = running_cycle(org, [org.report])
    with organization_scope(org.organization):
        preview = late_joiner_preview(cycle=cycle, membership=org.report2, now=timezone.now())
        assert not preview.already_in
        assert preview.manager == org.manager
        assert "Potential" in preview.questions[ReviewerKind.MANAGER]
        assert "Potential" not in preview.questions[ReviewerKind.SELF]
        assert [deadline.kind for deadline in preview.deadlines] == ["self", "manager"]
        added = participant_add_late(actor=org.hr, cycle=cycle, membership=org.report2)
        again = participant_add_late(actor=org.hr, cycle=cycle, membership=org.report2)
        assert added.pk == again.pk
        assert added.added_late
        kinds = sorted(Review.objects.filter(participant=added).values_list("kind", "author_id"))
        assert kinds == [("manager", org.manager.pk), ("self", org.report2.pk)]
        assert Notification.objects.filter(recipient=org.report2).count() == 1
        assert AuditEntry.objects.filter(action="review_participant.add_late").count() == 1


def test_invited_people_are_never_added(org: OrgPeople) -> None:
    cycle = running_cycle(org, [org.report])
    invited = MembershipFactory.create(
        organization=org.organization, status=MembershipStatus.INVITED
    )
    with organization_scope(org.organization), pytest.raises(DomainError):
        participant_add_late(actor=org.hr, cycle=cycle, membership=invited)


def test_an_extension_must_end_after_the_phase_closes(org: OrgPeople) -> None:
    cycle = running_cycle(org, [org.report])
    with organization_scope(org.organization):
        participant = Participant.objects.get(cycle=cycle)
        closes = cycle.phases.get(kind="self").closes_at
        with pytest.raises(DomainError) as refused:
            participant_extend(actor=org.hr, participant=participant, kind="self", until=closes)
        assert "until" in refused.value.fields
        with pytest.raises(PermissionDeniedError):
            participant_extend(
                actor=org.manager,
                participant=participant,
                kind="self",
                until=closes + timedelta(days=2),
            )
        extended = participant_extend(
            actor=org.hr, participant=participant, kind="self", until=closes + timedelta(days=2)
        )
        assert extended.self_deadline == closes + timedelta(days=2)
        assert Notification.objects.filter(recipient=org.report).count() == 1


def submit(review: Review) -> None:
    review.status, review.submitted_at = ReviewStatus.SUBMITTED, timezone.now()
    review.save()


def test_a_submitted_review_is_reopened_with_a_reason_and_a_deadline(org: OrgPeople) -> None:
    cycle = running_cycle(org, [org.report])
    with organization_scope(org.organization):
        review = Review.objects.get(participant__cycle=cycle, kind="self")
        closes = cycle.phases.get(kind="self").closes_at
        with pytest.raises(ConflictError):
            review_reopen(actor=org.hr, review=review, reason="Typo", until=closes + timedelta(1))
        submit(review)
        with pytest.raises(DomainError) as refused:
            review_reopen(actor=org.hr, review=review, reason=" ", until=closes + timedelta(1))
        assert "reason" in refused.value.fields
        reopened = review_reopen(
            actor=org.hr,
            review=review,
            reason="Rating on the wrong goal",
            until=closes + timedelta(1),
        )
        assert reopened.status == ReviewStatus.DRAFT
        assert reopened.submitted_at is None
        assert Participant.objects.get(cycle=cycle).self_deadline == closes + timedelta(1)
        entry = AuditEntry.objects.get(action="review.reopen")
        assert entry.changes["reason"] == [None, "Rating on the wrong goal"]
        note = Notification.objects.get(recipient=org.report)
        assert note.body == "Rating on the wrong goal"


def test_an_open_manager_review_moves_to_the_new_manager_and_the_old_one_is_kept(
    org: OrgPeople,
) -> None:
    cycle = running_cycle(org, [org.report])
    with organization_scope(org.organization):
        participant = Participant.objects.get(cycle=cycle)
        old = Review.objects.get(participant=participant, kind="manager")
        ReviewAnswer.objects.create(review=old, question_id=1, text="Strong quarter")
        preview = manager_change_preview(participant=participant, new_manager=org.colleague)
        assert preview.moves
        assert preview.answers_kept == 1
        participant_manager_change(actor=org.hr, participant=participant, new_manager=org.colleague)
        old.refresh_from_db()
        assert old.superseded_at is not None
        assert old.answers.get().text == "Strong quarter"
        new = Review.objects.get(participant=participant, kind="manager", superseded_at=None)
        assert new.author == org.colleague
        assert Participant.objects.get(pk=participant.pk).manager == org.colleague


def test_a_submitted_manager_review_stays_with_its_author(org: OrgPeople) -> None:
    cycle = running_cycle(org, [org.report])
    with organization_scope(org.organization):
        participant = Participant.objects.get(cycle=cycle)
        review = Review.objects.get(participant=participant, kind="manager")
        submit(review)
        assert not manager_change_preview(participant=participant, new_manager=org.colleague).moves
        participant_manager_change(actor=org.hr, participant=participant, new_manager=org.colleague)
        review.refresh_from_db()
        assert review.superseded_at is None
        assert Review.objects.filter(participant=participant, kind="manager").count() == 1


def test_nobody_writes_their_own_manager_review(org: OrgPeople) -> None:
    cycle = running_cycle(org, [org.report])
    with organization_scope(org.organization), pytest.raises(DomainError):
        participant_manager_change(
            actor=org.hr,
            participant=Participant.objects.get(cycle=cycle),
            new_manager=org.report,
        )


def test_after_an_org_chart_change_the_open_manager_review_follows_the_new_manager(
    org: OrgPeople,
) -> None:
    cycle = running_cycle(org, [org.report])
    with organization_scope(org.organization):
        # HR changes the manager in the org chart; the reviews app follows through the hook.
        member_update(actor=org.hr, member=org.report, manager=org.colleague)
        open_review = Review.objects.get(
            participant__cycle=cycle, kind="manager", superseded_at=None
        )
        assert open_review.author == org.colleague
        old = Review.objects.get(participant__cycle=cycle, kind="manager", author=org.manager)
        assert old.superseded_at is not None  # what the old manager wrote stays, labelled
        assert Participant.objects.get(cycle=cycle).manager == org.colleague
        # Nothing moves twice.
        assert participants_follow_managers(actor=org.hr, member_ids=[org.report.pk]) == 0


def test_reports_of_someone_who_leaves_have_their_reviews_follow_the_new_line(
    org: OrgPeople,
) -> None:
    cycle = running_cycle(org, [org.report])
    with organization_scope(org.organization):
        member_deactivate(actor=org.hr, member=org.manager)
        participant = Participant.objects.get(cycle=cycle)
        # The report moved up to the leaver's manager (none here): nobody writes it now,
        # and the leaver's open review is kept, superseded.
        assert (
            participant.manager_id == org.report.__class__.objects.get(pk=org.report.pk).manager_id
        )
        assert (
            Review.objects.filter(participant=participant, author=org.manager).get().superseded_at
        )
