"""A peer is told the moment they are asked for feedback: once per request, naming only
the person to write about, the cycle and whether the answers are anonymous."""

from __future__ import annotations

import pytest

from perfmgmt.notifications.models import Notification
from perfmgmt.tenancy.context import organization_scope
from reviews.models import NominationStatus, Participant, PeerNomination
from reviews.peer_notices import REQUEST_OPENED
from reviews.services.peers import nominations as services
from tests.conftest import OrgPeople
from tests.reviews.peer_helpers import new_peers, peer_cycle

pytestmark = pytest.mark.django_db


def _told(person) -> list[Notification]:
    return list(Notification.objects.filter(recipient=person, kind=REQUEST_OPENED))


def test_approving_a_nomination_tells_the_peer_at_once_and_only_once(org: OrgPeople) -> None:
    cycle = peer_cycle(org, [org.report])
    peers = new_peers(org, 2)
    with organization_scope(org.organization):
        participant = Participant.objects.get(cycle=cycle, reviewee=org.report)
        made = services.peers_nominate(actor=org.report, participant=participant, peers=peers)
        assert not Notification.objects.filter(kind=REQUEST_OPENED).exists()  # only nominated
        first = made[0]
        services.nomination_approve(actor=org.manager, nomination=first)
        services.nomination_approve(actor=org.manager, nomination=first)  # a no-op
        told = _told(first.peer)
        assert len(told) == 1
        assert _told(made[1].peer) == []
        note = told[0]
        assert org.report.display_name in note.title
        assert cycle.name in note.title
        assert "never with your name" in note.body
        # Nothing about the other peer, nor who nominated them.
        assert made[1].peer.display_name not in f"{note.title} {note.body}"
        assert org.manager.display_name not in f"{note.title} {note.body}"
        assert note.url.endswith("/peers/requests/")


def test_a_peer_added_by_the_manager_is_told_at_once_and_a_non_anonymous_cycle_says_so(
    org: OrgPeople,
) -> None:
    cycle = peer_cycle(org, [org.report], anonymous=False)
    (peer,) = new_peers(org, 1)
    with organization_scope(org.organization):
        participant = Participant.objects.get(cycle=cycle, reviewee=org.report)
        services.peers_nominate(actor=org.manager, participant=participant, peers=[peer])
        services.peers_nominate(actor=org.manager, participant=participant, peers=[peer])
        assert PeerNomination.objects.get(peer=peer).status == NominationStatus.APPROVED
        (note,) = _told(peer)
    assert "not anonymous" in note.body
    assert note.email_state == Notification.EmailState.PENDING


def test_a_peer_removed_and_asked_again_is_told_again(org: OrgPeople) -> None:
    cycle = peer_cycle(org, [org.report])
    (peer,) = new_peers(org, 1)
    with organization_scope(org.organization):
        participant = Participant.objects.get(cycle=cycle, reviewee=org.report)
        (nomination,) = services.peers_nominate(
            actor=org.manager, participant=participant, peers=[peer]
        )
        services.nomination_remove(actor=org.manager, nomination=nomination)
        services.peers_nominate(actor=org.manager, participant=participant, peers=[peer])
        assert len(_told(peer)) == 2


def test_the_demo_employee_is_told_they_are_asked_for_feedback() -> None:
    from django.core.management import call_command

    from perfmgmt.tenancy.models import Organization

    call_command("seed_demo")
    call_command("seed_demo")
    demo = Organization.objects.get(slug="demo")
    with organization_scope(demo):
        notes = Notification.objects.filter(kind=REQUEST_OPENED).select_related("recipient")
        # Lena and Priya (approved for Emil) and Emil (approved for Lena); not Ben, waiting.
        told = {note.recipient.display_name: note.title for note in notes}
    assert len(told) == 3
    assert "Lena Braun" in told["Emil Schmidt"]
