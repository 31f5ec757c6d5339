"""Reviews released and acknowledged, and cycle phases opening and closing, as events."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import DatabaseError
from django.utils import timezone

from perfmgmt.integrations.webhooks import catalogue
from perfmgmt.integrations.webhooks.models import WebhookEvent
from perfmgmt.notifications.sweep import run_sweep
from perfmgmt.tenancy.context import organization_scope
from reviews import reminders as review_reminders
from reviews.models import Review, ReviewerKind, ReviewStatus
from reviews.services.release import participant_release, review_acknowledge
from tests.conftest import OrgPeople
from tests.reviews.factories import running_cycle
from tests.reviews.release_helpers import written_cycle

from .conftest import Receiver, register

pytestmark = pytest.mark.django_db


def payloads(org: OrgPeople) -> list[dict]:
    with organization_scope(org.organization):
        return [event.payload for event in WebhookEvent.objects.order_by("id")]


def test_a_release_and_an_acknowledgement_are_events_without_any_peer_author(
    org: OrgPeople, receiver: Receiver
) -> None:
    register(org, receiver.url(), ["review.released", "review.acknowledged"])
    cycle = written_cycle(org, [org.report])
    with organization_scope(org.organization):
        participant = cycle.participants.get()
        Review.objects.create(
            participant=participant,
            kind=ReviewerKind.PEER,
            author=org.colleague,
            status=ReviewStatus.SUBMITTED,
            submitted_at=timezone.now(),
        )
        participant_release(actor=org.hr, participant=participant)
        participant_release(actor=org.hr, participant=participant)  # once only
        review_acknowledge(actor=org.report, participant=participant)

    released, acknowledged = payloads(org)
    assert released["type"] == "review.released"
    assert acknowledged["type"] == "review.acknowledged"
    assert released["data"]["reviewee_id"] == org.report.pk
    assert acknowledged["data"]["acknowledged_at"]
    expected = {"object", "id", *catalogue.event_type("review.released").fields}
    assert set(released["data"]) == set(acknowledged["data"]) == expected
    text = json.dumps([released, acknowledged])
    assert "Cora" not in text
    assert "peer" not in text
    assert "plans" not in text


def test_the_sweep_emits_phases_opening_and_closing_once(
    org: OrgPeople, receiver: Receiver
) -> None:
    register(org, receiver.url(), ["cycle.phase_opened", "cycle.phase_closed"])
    now = timezone.now()
    running_cycle(
        org, [org.report], phases={"self": (now - timedelta(hours=1), now + timedelta(days=1))}
    )

    run_sweep(organization=org.organization, now=now)
    run_sweep(organization=org.organization, now=now)
    assert [payload["type"] for payload in payloads(org)] == ["cycle.phase_opened"]

    run_sweep(organization=org.organization, now=now + timedelta(days=2))
    kinds = [(payload["type"], payload["data"]["kind"]) for payload in payloads(org)]
    assert kinds == [("cycle.phase_opened", "self"), ("cycle.phase_closed", "self")]


def test_a_phase_whose_event_cannot_be_written_stays_unstamped_and_the_next_sweep_sends_it(
    org: OrgPeople, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(org, receiver.url(), ["cycle.phase_opened"])
    now = timezone.now()
    cycle = running_cycle(
        org, [org.report], phases={"self": (now - timedelta(hours=1), now + timedelta(days=1))}
    )

    def broken_emit(*args: object, **kwargs: object) -> None:
        raise DatabaseError("the event table is unavailable")

    monkeypatch.setattr(review_reminders, "emit", broken_emit)
    run_sweep(organization=org.organization, now=now)
    with organization_scope(org.organization):
        assert cycle.phases.get(kind="self").opened_at is None  # rolled back with the event
    assert payloads(org) == []

    monkeypatch.undo()
    run_sweep(organization=org.organization, now=now)
    assert [payload["type"] for payload in payloads(org)] == ["cycle.phase_opened"]
