"""Peer feedback pages: bad input is a form error that changes nothing; who may act."""

from __future__ import annotations

import pytest
from django.urls import reverse

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import MembershipStatus
from reviews.models import CycleStatus, Participant, PeerNomination, ReviewCycle
from tests.conftest import OrgPeople
from tests.reviews.peer_helpers import approve_peers, new_peers, peer_cycle

pytestmark = pytest.mark.django_db


def _peers_url(org: OrgPeople, participant: Participant) -> str:
    return reverse("reviews:participant_peers", args=[org.organization.slug, participant.pk])


def _participant(org: OrgPeople, cycle: ReviewCycle) -> Participant:
    with organization_scope(org.organization):
        return Participant.objects.get(cycle=cycle, reviewee=org.report)


@pytest.mark.parametrize("case", ["self", "left", "stranger", "too_few"])
def test_a_bad_nomination_on_the_page_is_a_form_error_and_nothing_is_saved(
    org: OrgPeople, other_org: OrgPeople, client_for, case: str
) -> None:
    cycle = peer_cycle(org, [org.report], minimum=2)
    participant = _participant(org, cycle)
    peers = new_peers(org, 2)
    if case == "left":
        peers[0].status = MembershipStatus.LEFT
        peers[0].save()
    emails = {
        "self": [org.report.email, peers[1].email],
        "left": [peers[0].email, peers[1].email],
        "stranger": [other_org.colleague.email, peers[1].email],
        "too_few": [peers[1].email],
    }[case]
    response = client_for(org.report).post(
        _peers_url(org, participant), {"peers": "\n".join(emails)}
    )
    assert response.status_code == 400
    expected = {
        "self": "You cannot nominate yourself.",
        "left": "has left the organization.",
        "stranger": "Nobody here has this email",
        "too_few": "Too few peers: 1.",
    }[case]
    assert expected in response.content.decode()
    with organization_scope(org.organization):
        assert not PeerNomination.objects.exists()


def test_declining_without_a_reason_is_a_form_error(org: OrgPeople, client_for) -> None:
    cycle = peer_cycle(org, [org.report])
    participant = _participant(org, cycle)
    peer = new_peers(org, 1)[0]
    with organization_scope(org.organization):
        approve_peers(participant, [peer])
        nomination = PeerNomination.objects.get()
    url = reverse("reviews:nomination_decline", args=[org.organization.slug, nomination.pk])
    client = client_for(peer)
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client_for(org.colleague).get(url).status_code == 404
    assert client.post(url, {"reason": "I do not work with Rita"}).status_code == 302
    with organization_scope(org.organization):
        nomination.refresh_from_db()
    assert nomination.status == "declined"
    page = client_for(org.manager).get(_peers_url(org, participant)).content.decode()
    assert "I do not work with Rita" in page


def test_only_the_managers_see_the_approve_buttons_and_outsiders_get_404(
    org: OrgPeople, client_for
) -> None:
    cycle = peer_cycle(org, [org.report])
    participant = _participant(org, cycle)
    with organization_scope(org.organization):
        approve_peers(participant, new_peers(org, 1))
        nomination = PeerNomination.objects.get()
        PeerNomination.objects.filter(pk=nomination.pk).update(status="nominated")
    assert (
        "Approve" not in client_for(org.report).get(_peers_url(org, participant)).content.decode()
    )
    assert "Approve" in client_for(org.manager).get(_peers_url(org, participant)).content.decode()
    assert client_for(org.colleague).get(_peers_url(org, participant)).status_code == 404
    approve = reverse("reviews:nomination_approve", args=[org.organization.slug, nomination.pk])
    assert client_for(org.colleague).post(approve).status_code == 404
    assert client_for(org.report).post(approve).status_code == 403
    with organization_scope(org.organization):
        nomination.refresh_from_db()
    assert nomination.status == "nominated"


def test_hr_sets_peer_settings_on_a_draft_and_not_after_launch(org: OrgPeople, client_for) -> None:
    cycle = peer_cycle(org, [org.report])
    with organization_scope(org.organization):
        ReviewCycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.DRAFT)
    url = reverse("reviews:cycle_peer_settings", args=[org.organization.slug, cycle.pk])
    data = {
        "peer_minimum": "1",
        "peer_maximum": "4",
        "anonymity_threshold": "4",
        "peers_anonymous": "0",
    }
    assert client_for(org.manager).get(url).status_code == 403
    assert client_for(org.hr).post(url, {**data, "anonymity_threshold": "1"}).status_code == 400
    assert client_for(org.hr).post(url, data).status_code == 302
    with organization_scope(org.organization):
        cycle.refresh_from_db()
        assert (cycle.anonymity_threshold, cycle.peers_anonymous) == (4, False)
        ReviewCycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.ACTIVE)
    response = client_for(org.hr).post(url, {**data, "peers_anonymous": "1"})
    assert response.status_code == 409
    with organization_scope(org.organization):
        cycle.refresh_from_db()
    assert cycle.peers_anonymous is False
