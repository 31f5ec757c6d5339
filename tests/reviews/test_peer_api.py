"""Peer feedback over the API: nominations, requests, results; bad input; query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from perfmgmt.tenancy.context import organization_scope
from reviews.models import NominationStatus, Participant, PeerNomination, Review
from tests.conftest import OrgPeople
from tests.reviews.peer_helpers import (
    answer,
    approve_peers,
    closed_peer_phases,
    new_peers,
    peer_cycle,
)

pytestmark = pytest.mark.django_db


def base(org: OrgPeople) -> str:
    return f"/api/v1/orgs/{org.organization.slug}/reviews"


def _participant(org: OrgPeople, cycle) -> Participant:
    with organization_scope(org.organization):
        return Participant.objects.get(cycle=cycle, reviewee=org.report)


def test_nominate_approve_and_decline_over_the_api(org: OrgPeople, api_as) -> None:
    cycle = peer_cycle(org, [org.report])
    participant = _participant(org, cycle)
    peers = new_peers(org, 2)
    created = api_as(org.report).post(
        f"{base(org)}/nominations/",
        {"participant": participant.pk, "peers": [peer.pk for peer in peers]},
        format="json",
    )
    assert created.status_code == 201, created.content
    rows = created.json()
    assert {row["nomination_status"] for row in rows} == {"nominated"}
    manager = api_as(org.manager)
    for row in rows:
        approved = manager.post(f"{base(org)}/nominations/{row['id']}/approve/")
        assert approved.json()["nomination_status"] == "approved"
    peer_api = api_as(peers[0])
    requests = peer_api.get(f"{base(org)}/peer-requests/").json()["results"]
    assert [(r["reviewee"], r["reviewer_kind"], r["anonymous"]) for r in requests] == [
        (org.report.pk, "peer", True)
    ]
    url = f"{base(org)}/nominations/{rows[0]['id']}/decline/"
    missing = peer_api.post(url, {"reason": ""}, format="json")
    assert missing.status_code == 400
    assert "reason" in missing.json()["error"]["fields"]
    declined = peer_api.post(url, {"reason": "On leave all month"}, format="json")
    assert declined.json()["nomination_status"] == "declined"
    assert peer_api.get(f"{base(org)}/peer-requests/").json()["results"] == []


@pytest.mark.parametrize("case", ["self", "foreign", "too_few", "unknown_id"])
def test_bad_nominations_over_the_api_are_400_and_change_nothing(
    org: OrgPeople, other_org: OrgPeople, api_as, case: str
) -> None:
    cycle = peer_cycle(org, [org.report], minimum=2)
    participant = _participant(org, cycle)
    peers = new_peers(org, 2)
    chosen = {
        "self": [org.report.pk, peers[0].pk],
        "foreign": [other_org.colleague.pk, peers[0].pk],
        "too_few": [peers[0].pk],
        "unknown_id": [999_999, peers[0].pk],
    }[case]
    response = api_as(org.report).post(
        f"{base(org)}/nominations/", {"participant": participant.pk, "peers": chosen}, format="json"
    )
    assert response.status_code == 400
    assert "peers" in response.json()["error"]["fields"]
    with organization_scope(org.organization):
        assert not PeerNomination.objects.exists()


def test_a_key_cannot_decline_and_another_organizations_nomination_is_404(
    org: OrgPeople, other_org: OrgPeople, api_with_key
) -> None:
    cycle = peer_cycle(other_org, [other_org.report])
    with organization_scope(other_org.organization):
        participant = Participant.objects.get(cycle=cycle)
        approve_peers(participant, [other_org.colleague])
        theirs = PeerNomination.objects.get()
    key = api_with_key(org, scopes=["reviews:read", "reviews:write"])
    for action in ("", "approve/", "remove/", "decline/"):
        method = key.get if not action else key.post
        assert method(f"{base(org)}/nominations/{theirs.pk}/{action}").status_code == 404
    assert key.get(f"{base(org)}/peer-results/{participant.pk}/").status_code == 404
    assert key.get(f"{base(org)}/peer-requests/").status_code == 403


def test_peer_settings_change_before_launch_only(org: OrgPeople, api_with_key) -> None:
    cycle = peer_cycle(org, [org.report])  # running
    key = api_with_key(org, scopes=["reviews:read", "reviews:write"])
    url = f"{base(org)}/peer-settings/{cycle.pk}/"
    assert key.get(url).json()["anonymity_threshold"] == 3
    wanted = {
        "peer_minimum": 1,
        "peer_maximum": 2,
        "anonymity_threshold": 4,
        "peers_anonymous": False,
        "upward_reviews": False,
    }
    assert key.put(url, wanted, format="json").status_code == 409
    assert key.put(url, {**wanted, "anonymity_threshold": 1}, format="json").status_code == 400
    assert key.get(url).json()["peers_anonymous"] is True


def _nomination_queries(org: OrgPeople, api_as, count: int) -> int:
    cycle = peer_cycle(org, [org.report], maximum=60, name=f"Count {count}")
    participant = _participant(org, cycle)
    with organization_scope(org.organization):
        approve_peers(participant, new_peers(org, count, prefix=f"P{count}"))
    client = api_as(org.manager)
    url = f"{base(org)}/nominations/?participant={participant.pk}&page_size=100"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert len(response.json()["results"]) == count
    return len(queries)


def test_the_nomination_list_runs_the_same_queries_at_5_and_50_rows(org, api_as) -> None:
    assert _nomination_queries(org, api_as, 5) == _nomination_queries(org, api_as, 50)


def _request_queries(org: OrgPeople, api_as, count: int) -> int:
    peer = org.colleague
    people = new_peers(org, count, prefix=f"R{count}")
    cycle = peer_cycle(org, people, name=f"Requests {count}")
    with organization_scope(org.organization):
        for participant in Participant.objects.filter(cycle=cycle):
            approve_peers(participant, [peer])
    client = api_as(peer)
    url = f"{base(org)}/peer-requests/?page_size=100"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert len(response.json()["results"]) == count
    with organization_scope(org.organization):
        Review.objects.filter(author=peer).delete()
        PeerNomination.objects.filter(peer=peer).delete()
    return len(queries)


def test_the_request_list_runs_the_same_queries_at_5_and_50_rows(org, api_as) -> None:
    assert _request_queries(org, api_as, 5) == _request_queries(org, api_as, 50)


def _result_queries(org: OrgPeople, api_as, count: int) -> int:
    cycle = peer_cycle(org, [org.report], phases=closed_peer_phases(), name=f"Results {count}")
    participant = _participant(org, cycle)
    with organization_scope(org.organization):
        participant = Participant.objects.select_related("snapshot").get(pk=participant.pk)
        for number, review in enumerate(approve_peers(participant, new_peers(org, count))):
            answer(review, 1 + number % 5, f"Text {number}")
    client = api_as(org.hr)
    url = f"{base(org)}/peer-results/{participant.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.json()["groups"][0]["respondents"] == count
    return len(queries)


def test_the_results_run_the_same_queries_at_5_and_50_respondents(org, api_as) -> None:
    assert _result_queries(org, api_as, 5) == _result_queries(org, api_as, 50)


def test_the_peer_pages_run_the_same_queries_at_5_and_50_nominations(org, client_for) -> None:
    from django.urls import reverse

    def count(number: int) -> int:
        cycle = peer_cycle(org, [org.report], maximum=60, name=f"Page {number}")
        participant = _participant(org, cycle)
        with organization_scope(org.organization):
            approve_peers(participant, new_peers(org, number, prefix=f"G{number}"))
        client = client_for(org.manager)
        url = reverse("reviews:participant_peers", args=[org.organization.slug, participant.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert count(5) == count(50)


def test_an_approved_nomination_is_not_approved_twice(org: OrgPeople, api_as) -> None:
    cycle = peer_cycle(org, [org.report])
    participant = _participant(org, cycle)
    with organization_scope(org.organization):
        approve_peers(participant, [org.colleague])
        nomination = PeerNomination.objects.get()
    url = f"{base(org)}/nominations/{nomination.pk}/approve/"
    assert api_as(org.manager).post(url).json()["nomination_status"] == NominationStatus.APPROVED
    with organization_scope(org.organization):
        assert Review.objects.filter(kind="peer").count() == 1
