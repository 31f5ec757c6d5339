"""The anonymity matrix: with K-1 and with K peers answering, the reviewee, the manager,
HR, an owner and an API key read every page, endpoint, export and notification of the
cycle, and nothing they get lets them tell who wrote what: no author's name beside an
answer, no author id, no submission time, no count below K, no order by time."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from perfmgmt.notifications.models import Notification
from perfmgmt.notifications.sweep import registered_reminders
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from reviews.models import Participant, Review
from tests.conftest import OrgPeople
from tests.reviews.peer_helpers import (
    answer,
    approve_peers,
    closed_peer_phases,
    new_peers,
    peer_cycle,
)

pytestmark = pytest.mark.django_db

K = 3
# Submitted in this order: the results must not keep it (alphabetical: Apple, Mango, Zebra).
TEXTS = ["Zebra note of care", "Mango note of care", "Apple note of care"]
RATINGS = [5, 2, 4]
SECRET_YEAR = "2003"  # every peer submission happened in it: no body may show it


def _scenario(org: OrgPeople, respondents: int) -> tuple[Participant, list[Review]]:
    cycle = peer_cycle(org, [org.report], phases=closed_peer_phases(), threshold=K)
    peers = new_peers(org, K + 1, prefix="Secretpeer")
    with organization_scope(org.organization):
        participant = Participant.objects.select_related("snapshot", "cycle").get(cycle=cycle)
        reviews = approve_peers(participant, peers)
        for number in range(respondents):
            when = datetime(2003, 3, 3 + number, 3, 41 + number, tzinfo=UTC)
            answer(reviews[number], RATINGS[number], TEXTS[number], when)
        Participant.objects.filter(pk=participant.pk).update(
            released_at=timezone.now(), released_by=org.hr
        )
        participant.refresh_from_db()
        for producer in registered_reminders().values():
            producer(org.organization, timezone.now())
    return participant, reviews


def _pages(org: OrgPeople, participant: Participant) -> dict[str, str]:
    slug, pk, cycle = org.organization.slug, participant.pk, participant.cycle_id
    return {
        "results": reverse("reviews:peer_results", args=[slug, pk]),
        "nominations": reverse("reviews:participant_peers", args=[slug, pk]),
        "released": reverse("reviews:released", args=[slug, pk]),
        "participant": reverse("reviews:participant", args=[slug, pk]),
        "participants": reverse("reviews:cycle_participants", args=[slug, cycle]),
        "cycle": reverse("reviews:cycle", args=[slug, cycle]),
        "progress": reverse("reviews:cycle_progress", args=[slug, cycle]),
        "export": reverse("reviews:cycle_export", args=[slug, cycle]),
        "mine": reverse("reviews:mine", args=[slug]),
        "score": reverse("reviews:score", args=[slug, pk]),
        "inbox": reverse("reviews:peer_inbox", args=[slug]),
        "requests": reverse("reviews:peer_requests", args=[slug]),
        "notifications": reverse("notifications:inbox", args=[slug]),
    }


def _endpoints(org: OrgPeople, participant: Participant) -> dict[str, str]:
    base = f"/api/v1/orgs/{org.organization.slug}/reviews"
    pk, cycle = participant.pk, participant.cycle_id
    return {
        "reviews": f"{base}/reviews/?page_size=200",
        "nominations": f"{base}/nominations/?participant={pk}",
        "peer-results": f"{base}/peer-results/{pk}/",
        "participants": f"{base}/participants/?cycle={cycle}",
        "participant": f"{base}/participants/{pk}/",
        "participant-results": f"{base}/participant-results/{pk}/",
        "export": f"{base}/cycle-results/{cycle}/export/",
        "progress": f"{base}/cycle-results/{cycle}/progress/",
    }


def _body(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _assert_nothing_attributes(body: str, where: str, reviews: list[Review], names: bool) -> None:
    assert SECRET_YEAR not in body, f"{where}: a submission time shows"
    for review in reviews:
        assert f'"author":{review.author_id}' not in body.replace(" ", ""), where
        if names:
            assert review.author.display_name not in body, f"{where}: a peer's name shows"


def _readers(org: OrgPeople) -> dict[str, Membership]:
    return {"reviewee": org.report, "manager": org.manager, "hr": org.hr, "owner": org.owner}


def _read_everything(org, participant, reviews, client_for, api_as, api_with_key) -> dict:
    """Every body each reader gets, after asserting none attributes an answer."""
    bodies: dict[tuple[str, str], str] = {}
    for who, member in _readers(org).items():
        client = client_for(member)
        for name, url in _pages(org, participant).items():
            body = _body(client.get(url))
            # Who was asked is known to the reviewee and managers; who answered never is.
            _assert_nothing_attributes(body, f"{who} {name}", reviews, names=name != "nominations")
            bodies[(who, name)] = body
        for review in reviews:
            page = reverse("reviews:review", args=[org.organization.slug, review.pk])
            assert client.get(page).status_code == 404, f"{who} opened a peer review"
        api = api_as(member)
        for name, url in _endpoints(org, participant).items():
            body = _body(api.get(url))
            _assert_nothing_attributes(
                body, f"{who} api {name}", reviews, names=name != "nominations"
            )
            bodies[(who, f"api {name}")] = body
        for review in reviews:
            url = f"/api/v1/orgs/{org.organization.slug}/reviews/reviews/{review.pk}/"
            assert api.get(url).status_code == 404, f"{who} read a peer review over the API"
        with organization_scope(org.organization):
            told = " ".join(
                f"{n.title} {n.body}" for n in Notification.objects.filter(recipient=member)
            )
        _assert_nothing_attributes(told, f"{who} notifications", reviews, names=True)
    key = api_with_key(org, scopes=["reviews:read", "reviews:write"])
    for name, url in _endpoints(org, participant).items():
        body = _body(key.get(url))
        _assert_nothing_attributes(body, f"key {name}", reviews, names=name != "nominations")
        bodies[("key", f"api {name}")] = body
    for review in reviews:
        url = f"/api/v1/orgs/{org.organization.slug}/reviews/reviews/{review.pk}/"
        assert key.get(url).status_code == 404
    return bodies


def _assert_nominations_tell_only_who_was_asked(bodies: dict) -> None:
    """An answered and an unanswered nomination look the same but for the peer."""
    for (who, name), body in bodies.items():
        if name == "api nominations":
            rows = json.loads(body)["results"]
            assert len(rows) == K + 1
            shapes = {
                json.dumps({k: v for k, v in row.items() if k not in ("id", "peer", "peer_name")})
                for row in rows
            }
            assert len(shapes) == 1, who
        if name == "nominations":
            for word in ("Submitted", "In progress", "Not started"):
                assert word not in body, who


def test_below_k_answers_nobody_reads_anything_of_the_group(
    org: OrgPeople, client_for, api_as, api_with_key
) -> None:
    participant, reviews = _scenario(org, K - 1)
    bodies = _read_everything(org, participant, reviews, client_for, api_as, api_with_key)
    _assert_nominations_tell_only_who_was_asked(bodies)
    for body in bodies.values():
        for text in TEXTS:
            assert text not in body
    for who in ("reviewee", "manager", "hr", "owner"):
        assert "Not enough responses" in bodies[(who, "results")], who
        results = json.loads(bodies[(who, "api peer-results")])
        peer = next(group for group in results["groups"] if group["kind"] == "peer")
        assert (peer["shown"], peer["respondents"], peer["questions"]) == (False, None, [])
    assert "Not enough responses" in bodies[("hr", "export")]
    assert "Not enough responses" in bodies[("key", "api export")]


def test_at_k_answers_the_group_shows_combined_without_authors_in_alphabetical_order(
    org: OrgPeople, client_for, api_as, api_with_key
) -> None:
    participant, reviews = _scenario(org, K)
    bodies = _read_everything(org, participant, reviews, client_for, api_as, api_with_key)
    _assert_nominations_tell_only_who_was_asked(bodies)
    for who in ("reviewee", "manager", "hr", "owner"):
        page = bodies[(who, "results")]
        positions = [page.index(text) for text in sorted(TEXTS)]
        assert positions == sorted(positions), f"{who}: texts not in alphabetical order"
        assert "Not enough responses" not in page.split('data-group="upward"')[0]
    results = json.loads(bodies[("key", "api peer-results")])
    peer = next(group for group in results["groups"] if group["kind"] == "peer")
    assert peer["respondents"] == K
    texts = next(q for q in peer["questions"] if q["texts"])["texts"]
    assert texts == sorted(TEXTS)
    rated = next(q for q in peer["questions"] if q["items"])["items"][0]
    assert rated["average"] == "3.67"
    assert sorted(level["count"] for level in rated["distribution"]) == [0, 0, 1, 1, 1]
    assert not any(
        set(entry) & {"author", "author_name", "submitted_at"}
        for q in peer["questions"]
        for entry in q["named"]
    )
    # Texts appear only on the results, never on a page that names people beside them.
    for (who, name), body in bodies.items():
        if name not in ("results", "api peer-results"):
            for text in TEXTS:
                assert text not in body, f"{who} {name}"


def test_the_reviewee_reads_nothing_before_release_and_managers_nothing_before_the_phase_closed(
    org: OrgPeople, client_for
) -> None:
    cycle = peer_cycle(org, [org.report], threshold=K)
    peers = new_peers(org, K)
    with organization_scope(org.organization):
        participant = Participant.objects.select_related("snapshot").get(cycle=cycle)
        for number, review in enumerate(approve_peers(participant, peers)):
            answer(review, RATINGS[number], TEXTS[number])
    url = reverse("reviews:peer_results", args=[org.organization.slug, participant.pk])
    for member in (org.report, org.manager, org.hr):
        body = client_for(member).get(url).content.decode()
        assert not any(text in body for text in TEXTS)
        assert "once the peer feedback phase has closed" in body


def test_a_named_cycle_shows_the_names_as_hr_chose(org: OrgPeople, client_for) -> None:
    cycle = peer_cycle(org, [org.report], phases=closed_peer_phases(), anonymous=False)
    peers = new_peers(org, 1, prefix="Namedpeer")
    with organization_scope(org.organization):
        participant = Participant.objects.select_related("snapshot").get(cycle=cycle)
        [review] = approve_peers(participant, peers)
        answer(review, 4, "Named praise")
    body = (
        client_for(org.manager)
        .get(reverse("reviews:peer_results", args=[org.organization.slug, participant.pk]))
        .content.decode()
    )
    assert "Namedpeer Zed0x" in body
    assert "Named praise" in body
    assert 'data-feedback-kind="named"' in body


def test_the_writer_sees_which_kind_of_feedback_they_give(org: OrgPeople, client_for) -> None:
    cycle = peer_cycle(org, [org.report])
    peer = new_peers(org, 1)[0]
    with organization_scope(org.organization):
        participant = Participant.objects.get(cycle=cycle)
        [review] = approve_peers(participant, [peer])
    client = client_for(peer)
    page = client.get(reverse("reviews:review", args=[org.organization.slug, review.pk]))
    assert page.status_code == 200
    assert 'data-feedback-kind="anonymous"' in page.content.decode()
    listed = client.get(reverse("reviews:peer_requests", args=[org.organization.slug]))
    assert 'data-feedback-kind="anonymous"' in listed.content.decode()


def test_each_kind_meets_the_threshold_on_its_own(org: OrgPeople, api_as) -> None:
    """Three peers answered about Max, two of his reports: the peers show, the reports'
    group is "not enough responses" and merged into nothing."""
    from reviews.services.peers.upward import upward_reviews_assign

    cycle = peer_cycle(
        org, [org.manager, org.report, org.report2], phases=closed_peer_phases(), upward=True
    )
    with organization_scope(org.organization):
        upward_reviews_assign(cycle=cycle)
        participant = Participant.objects.select_related("snapshot").get(reviewee=org.manager)
        for number, review in enumerate(approve_peers(participant, new_peers(org, K))):
            answer(review, RATINGS[number], TEXTS[number])
        for review in Review.objects.filter(participant=participant, kind="upward"):
            review.participant = participant
            answer(review, 1, "Upward secret")
    body = api_as(org.hr).get(
        f"/api/v1/orgs/{org.organization.slug}/reviews/peer-results/{participant.pk}/"
    )
    groups = {group["kind"]: group for group in body.json()["groups"]}
    assert groups["peer"]["respondents"] == K
    assert (groups["upward"]["shown"], groups["upward"]["respondents"]) == (False, None)
    assert "Upward secret" not in body.content.decode()
    rated = next(q for q in groups["peer"]["questions"] if q["items"])["items"][0]
    assert rated["rated"] == K  # the reports' ratings are not merged into the peers'
