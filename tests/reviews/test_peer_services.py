"""Peer nominations, settings and upward assignments, through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from perfmgmt.notifications.models import Notification
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import MembershipStatus
from reviews import peer_reminders
from reviews.models import (
    CycleStatus,
    NominationStatus,
    Participant,
    PeerNomination,
    PhaseKind,
    Review,
    ReviewCycle,
    ReviewerKind,
)
from reviews.phases import phase_errors, window
from reviews.services.peers import nominations as services
from reviews.services.peers.settings import PeerSettings, cycle_peer_settings_set
from reviews.services.peers.upward import upward_reviews_assign
from reviews.services.writing import writing_refusal
from tests.conftest import OrgPeople
from tests.reviews.factories import make_template
from tests.reviews.peer_helpers import closed_peer_phases, new_peers, peer_cycle

pytestmark = pytest.mark.django_db


def _participant(org: OrgPeople, cycle: ReviewCycle) -> Participant:
    return Participant.objects.select_related("cycle").get(cycle=cycle, reviewee=org.report)


def _state(participant: Participant) -> list[tuple]:
    return sorted(
        PeerNomination.objects.filter(participant=participant).values_list("peer_id", "status")
    ) + sorted(Review.objects.filter(participant=participant).values_list("kind", "author_id"))


def test_the_employee_nominates_the_manager_approves_and_the_peer_review_exists(
    org: OrgPeople,
) -> None:
    cycle = peer_cycle(org, [org.report])
    peers = new_peers(org, 2)
    with organization_scope(org.organization):
        participant = _participant(org, cycle)
        made = services.peers_nominate(actor=org.report, participant=participant, peers=peers)
        assert {n.status for n in made} == {NominationStatus.NOMINATED}
        assert not Review.objects.filter(participant=participant, kind="peer").exists()
        for nomination in made:
            services.nomination_approve(actor=org.manager, nomination=nomination)
            services.nomination_approve(actor=org.manager, nomination=nomination)  # no-op
        authors = set(
            Review.objects.filter(participant=participant, kind="peer").values_list(
                "author_id", flat=True
            )
        )
    assert authors == {peer.pk for peer in peers}


@pytest.mark.parametrize("case", ["self", "manager", "left", "invited", "too_few", "too_many"])
def test_bad_nominations_are_refused_and_change_nothing(org: OrgPeople, case: str) -> None:
    cycle = peer_cycle(org, [org.report], minimum=2, maximum=3)
    peers = new_peers(org, 4)
    if case == "left":
        peers[0].status = MembershipStatus.LEFT
        peers[0].save()
    if case == "invited":
        peers[0].status = MembershipStatus.INVITED
        peers[0].save()
    chosen = {
        "self": [org.report, peers[1]],
        "manager": [org.manager, peers[1]],
        "left": peers[:2],
        "invited": peers[:2],
        "too_few": peers[:1],
        "too_many": peers[:4],
    }[case]
    with organization_scope(org.organization):
        participant = _participant(org, cycle)
        before = _state(participant)
        with pytest.raises(DomainError) as refused:
            services.peers_nominate(actor=org.report, participant=participant, peers=chosen)
        assert refused.value.fields["peers"]
        assert _state(participant) == before


def test_another_organizations_person_cannot_be_nominated(
    org: OrgPeople, other_org: OrgPeople
) -> None:
    cycle = peer_cycle(org, [org.report])
    peers = new_peers(org, 1)
    with organization_scope(org.organization):
        participant = _participant(org, cycle)
        with pytest.raises(DomainError):
            services.peers_nominate(
                actor=org.report, participant=participant, peers=[peers[0], other_org.colleague]
            )
        assert not PeerNomination.objects.filter(participant=participant).exists()


def test_a_manager_adds_a_peer_approved_at_once_and_removes_one(org: OrgPeople) -> None:
    cycle = peer_cycle(org, [org.report])
    peer = new_peers(org, 1)[0]
    with organization_scope(org.organization):
        participant = _participant(org, cycle)
        [added] = services.peers_nominate(actor=org.manager, participant=participant, peers=[peer])
        assert added.status == NominationStatus.APPROVED
        review = Review.objects.get(participant=participant, kind="peer", author=peer)
        services.nomination_remove(actor=org.manager, nomination=added)
        review.refresh_from_db()
        assert review.superseded_at is not None
        added.refresh_from_db()
        assert added.status == NominationStatus.REMOVED


def test_the_reviewee_cannot_approve_their_own_nominations(org: OrgPeople) -> None:
    cycle = peer_cycle(org, [org.report])
    with organization_scope(org.organization):
        participant = _participant(org, cycle)
        made = services.peers_nominate(
            actor=org.report, participant=participant, peers=new_peers(org, 2)
        )
        with pytest.raises(PermissionDeniedError):
            services.nomination_approve(actor=org.report, nomination=made[0])


def test_a_peer_declines_with_a_reason_and_a_missing_reason_changes_nothing(
    org: OrgPeople,
) -> None:
    cycle = peer_cycle(org, [org.report])
    peer = new_peers(org, 1)[0]
    with organization_scope(org.organization):
        participant = _participant(org, cycle)
        [nomination] = services.peers_nominate(
            actor=org.manager, participant=participant, peers=[peer]
        )
        with pytest.raises(DomainError) as refused:
            services.nomination_decline(actor=peer, nomination=nomination, reason="  ")
        assert "reason" in refused.value.fields
        nomination.refresh_from_db()
        assert nomination.status == NominationStatus.APPROVED
        with pytest.raises(PermissionDeniedError):
            services.nomination_decline(actor=org.colleague, nomination=nomination, reason="No")
        services.nomination_decline(actor=peer, nomination=nomination, reason="I barely know her")
        nomination.refresh_from_db()
        assert (nomination.status, nomination.decline_reason) == ("declined", "I barely know her")
        assert not Review.objects.filter(
            participant=participant, kind="peer", author=peer, superseded_at=None
        ).exists()


def test_nothing_changes_once_the_peer_phase_has_closed(org: OrgPeople) -> None:
    cycle = peer_cycle(org, [org.report], phases=closed_peer_phases())
    with organization_scope(org.organization):
        participant = _participant(org, cycle)
        with pytest.raises(ConflictError):
            services.peers_nominate(
                actor=org.manager, participant=participant, peers=new_peers(org, 1)
            )


def test_several_peer_reviews_per_participant_one_open_per_author(org: OrgPeople) -> None:
    cycle = peer_cycle(org, [org.report])
    peers = new_peers(org, 3)
    with organization_scope(org.organization):
        participant = _participant(org, cycle)
        services.peers_nominate(actor=org.manager, participant=participant, peers=peers)
        services.peers_nominate(actor=org.manager, participant=participant, peers=peers)
        assert Review.objects.filter(participant=participant, kind="peer").count() == 3


def test_peer_settings_are_fixed_once_the_cycle_launched(org: OrgPeople) -> None:
    with organization_scope(org.organization):
        template = make_template(org)
    with organization_scope(org.organization):
        cycle = ReviewCycle.objects.create(
            name="Draft", period_start="2026-01-01", period_end="2026-12-31", template=template
        )
        wanted = PeerSettings(minimum=1, maximum=4, threshold=4, anonymous=False, upward=True)
        cycle = cycle_peer_settings_set(actor=org.hr, cycle=cycle, settings=wanted)
        assert (cycle.anonymity_threshold, cycle.peers_anonymous) == (4, False)
        with pytest.raises(DomainError):
            cycle_peer_settings_set(actor=org.hr, cycle=cycle, settings=PeerSettings(threshold=1))
        with pytest.raises(DomainError):
            cycle_peer_settings_set(
                actor=org.hr, cycle=cycle, settings=PeerSettings(minimum=4, maximum=2)
            )
        with pytest.raises(PermissionDeniedError):
            cycle_peer_settings_set(actor=org.manager, cycle=cycle, settings=PeerSettings())
        ReviewCycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.ACTIVE)
        with pytest.raises(ConflictError):
            cycle_peer_settings_set(actor=org.hr, cycle=cycle, settings=PeerSettings())
        cycle.refresh_from_db()
        assert cycle.peers_anonymous is False


def test_direct_reports_taking_part_are_asked_for_upward_feedback_once(org: OrgPeople) -> None:
    cycle = peer_cycle(org, [org.manager, org.report, org.report2, org.colleague], upward=True)
    with organization_scope(org.organization):
        upward_reviews_assign(cycle=cycle)
        upward_reviews_assign(cycle=cycle)
        rows = set(
            Review.objects.filter(participant__cycle=cycle, kind=ReviewerKind.UPWARD).values_list(
                "participant__reviewee_id", "author_id"
            )
        )
    assert rows == {(org.manager.pk, org.report.pk), (org.manager.pk, org.report2.pk)}


def test_upward_and_peer_reviews_are_written_in_the_peer_phase(org: OrgPeople) -> None:
    cycle = peer_cycle(org, [org.manager, org.report], upward=True)
    with organization_scope(org.organization):
        upward_reviews_assign(cycle=cycle)
        review = Review.objects.select_related("participant__cycle").get(kind="upward")
        assert writing_refusal(review, timezone.now()) is None
        assert writing_refusal(review, timezone.now() + timedelta(days=20)) is not None
        phase = window(cycle.phases.all(), PhaseKind.PEER)
        assert phase is not None


def test_the_peer_phase_sits_between_self_assessment_and_manager_review() -> None:
    from types import SimpleNamespace

    now = timezone.now()
    phases = [
        SimpleNamespace(kind="self", opens_at=now, closes_at=now + timedelta(days=10)),
        SimpleNamespace(kind="peer", opens_at=now, closes_at=now + timedelta(days=20)),
        SimpleNamespace(kind="manager", opens_at=now, closes_at=now + timedelta(days=15)),
    ]
    assert "manager" in phase_errors(phases)
    phases[2].closes_at = now + timedelta(days=25)
    assert phase_errors(phases) == {}


def test_reminders_go_once_a_day_to_the_manager_and_the_peers(org: OrgPeople) -> None:
    cycle = peer_cycle(org, [org.report])
    peers = new_peers(org, 2)
    now = timezone.now()
    with organization_scope(org.organization):
        participant = _participant(org, cycle)
        services.peers_nominate(actor=org.report, participant=participant, peers=peers)
        assert peer_reminders.peer_nominations_to_approve(org.organization, now) == 1
        assert peer_reminders.peer_nominations_to_approve(org.organization, now) == 0
        for nomination in PeerNomination.objects.filter(participant=participant):
            services.nomination_approve(actor=org.manager, nomination=nomination)
        assert peer_reminders.peer_requests_to_answer(org.organization, now) == 2
        assert peer_reminders.peer_requests_to_answer(org.organization, now) == 0
        tomorrow = now + timedelta(days=1)
        assert peer_reminders.peer_requests_to_answer(org.organization, tomorrow) == 2
        assert peer_reminders.peer_phase_closing(org.organization, now) == 0
        closing = now + timedelta(days=12)
        assert peer_reminders.peer_phase_closing(org.organization, closing) == 2
        assert peer_reminders.peer_phase_closing(org.organization, closing) == 0
        kinds = set(Notification.objects.values_list("recipient_id", "kind"))
    assert (org.manager.pk, "peer-nominations") in kinds
    assert {(peer.pk, "peer-requests") for peer in peers} <= kinds


def test_the_demo_shows_peer_feedback_under_way() -> None:
    from django.core.management import call_command

    from perfmgmt.tenancy.models import Organization

    call_command("seed_demo")
    call_command("seed_demo")
    demo = Organization.objects.get(slug="demo")
    with organization_scope(demo):
        # The demo also has last year's calibrated cycle; this year's runs peer feedback.
        assert ReviewCycle.objects.filter(phases__kind=PhaseKind.PEER).count() == 1
        statuses = sorted(PeerNomination.objects.values_list("status", flat=True))
        assert statuses == ["approved", "approved", "approved", "nominated"]
        assert Review.objects.filter(kind="peer", status="submitted").count() == 1
