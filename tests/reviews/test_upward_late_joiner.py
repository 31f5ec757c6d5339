"""Upward feedback for someone added to a running cycle late: the same pairs as at launch,
for the pairs they belong to, once."""

from __future__ import annotations

import pytest

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import MembershipStatus
from reviews.models import Review, ReviewCycle, ReviewerKind
from reviews.services.cycles.people import participant_add_late
from tests.conftest import OrgPeople
from tests.reviews.peer_helpers import closed_peer_phases, peer_cycle

pytestmark = pytest.mark.django_db


def _upward(cycle: ReviewCycle) -> set[tuple[int, int]]:
    return set(
        Review.objects.filter(participant__cycle=cycle, kind=ReviewerKind.UPWARD).values_list(
            "participant__reviewee_id", "author_id"
        )
    )


def test_a_late_manager_is_reviewed_by_their_reports_and_reviews_their_own_manager(
    org: OrgPeople,
) -> None:
    cycle = peer_cycle(org, [org.owner, org.report, org.report2, org.colleague], upward=True)
    with organization_scope(org.organization):
        assert _upward(cycle) == set()
        participant_add_late(actor=org.hr, cycle=cycle, membership=org.manager)
        expected = {
            (org.manager.pk, org.report.pk),
            (org.manager.pk, org.report2.pk),
            (org.owner.pk, org.manager.pk),
        }
        assert _upward(cycle) == expected  # not the colleague's review of the owner
        participant_add_late(actor=org.hr, cycle=cycle, membership=org.manager)
        assert _upward(cycle) == expected
        assert Review.objects.filter(kind=ReviewerKind.UPWARD).count() == 3


def test_a_late_report_reviews_their_manager_but_nobody_who_left_is_asked(
    org: OrgPeople,
) -> None:
    cycle = peer_cycle(org, [org.manager, org.report], upward=True)
    with organization_scope(org.organization):
        participant_add_late(actor=org.hr, cycle=cycle, membership=org.report2)
        assert _upward(cycle) == {(org.manager.pk, org.report2.pk)}  # the report's own is
        # left to the launch's assignment, as before
        org.colleague.status = MembershipStatus.LEFT
        org.colleague.manager = org.manager
        org.colleague.save()
        participant_add_late(actor=org.hr, cycle=cycle, membership=org.colleague)
        assert _upward(cycle) == {(org.manager.pk, org.report2.pk)}


def test_no_upward_reviews_without_upward_feedback_or_after_the_peer_phase(
    org: OrgPeople,
) -> None:
    without = peer_cycle(org, [org.report, org.report2], upward=False, name="No upward")
    closed = peer_cycle(
        org, [org.report, org.report2], upward=True, phases=closed_peer_phases(), name="Closed"
    )
    with organization_scope(org.organization):
        participant_add_late(actor=org.hr, cycle=without, membership=org.manager)
        participant_add_late(actor=org.hr, cycle=closed, membership=org.manager)
        assert _upward(without) == set()
        assert _upward(closed) == set()
        assert closed.participants.filter(reviewee=org.manager).exists()
