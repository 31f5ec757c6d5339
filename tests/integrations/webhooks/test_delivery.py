"""Delivery: signed as Standard Webhooks says, retried, failed, redelivered, disabled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from perfmgmt.integrations.webhooks import delivery as deliveries
from perfmgmt.integrations.webhooks import services
from perfmgmt.integrations.webhooks.events import emit
from perfmgmt.integrations.webhooks.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from perfmgmt.integrations.webhooks.sweep import webhook_deliveries_due
from perfmgmt.notifications.models import Notification
from perfmgmt.tenancy.context import organization_scope
from tests.conftest import OrgPeople

from .conftest import Receiver, register

pytestmark = pytest.mark.django_db
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def emitted(
    org: OrgPeople, endpoint_url: str, secret_holder: list[str] | None = None
) -> WebhookDelivery:
    """An endpoint for member.updated and one event for it: the delivery, not yet attempted."""
    endpoint, secret = register(org, endpoint_url, ["member.updated"])
    if secret_holder is not None:
        secret_holder.append(secret)
    with organization_scope(org.organization):
        emit("member.updated", resource=org.report)
        return WebhookDelivery.objects.get(endpoint=endpoint)


def attempt(org: OrgPeople, delivery: WebhookDelivery) -> WebhookAttempt | None:
    with organization_scope(org.organization):
        return deliveries.delivery_attempt(delivery_id=delivery.pk)


def reload(org: OrgPeople, delivery: WebhookDelivery) -> WebhookDelivery:
    with organization_scope(org.organization):
        return WebhookDelivery.objects.select_related("endpoint").get(pk=delivery.pk)


def test_a_delivery_is_signed_so_that_a_standard_verifier_accepts_it(
    org: OrgPeople, receiver: Receiver
) -> None:
    secrets: list[str] = []
    delivery = emitted(org, receiver.url(), secrets)
    receiver.body = b"thanks"

    done = attempt(org, delivery)

    assert done is not None
    assert done.succeeded
    assert done.status_code == 204
    [request] = receiver.received
    verified = Webhook(secrets[0]).verify(request.body, request.headers)
    assert verified["type"] == "member.updated"
    assert verified["data"]["id"] == org.report.pk
    assert request.headers["webhook-id"] == delivery.message_id
    assert request.headers["Host"] == f"127.0.0.1:{receiver.port}"
    assert reload(org, delivery).status == DeliveryStatus.SUCCEEDED
    with pytest.raises(WebhookVerificationError):
        Webhook(services.generate_secret()).verify(request.body, request.headers)


def test_the_delivery_after_commit_is_sent_by_the_task(
    org: OrgPeople, receiver: Receiver, django_capture_on_commit_callbacks
) -> None:
    register(org, receiver.url(), ["member.updated"])
    with django_capture_on_commit_callbacks(execute=True), organization_scope(org.organization):
        services_member_update(org)
    assert len(receiver.received) == 1


def services_member_update(org: OrgPeople) -> None:
    from perfmgmt.tenancy.services import member_update

    member_update(actor=org.owner, member=org.report, job_title="Staff engineer")


def test_a_500_is_a_failed_attempt_retried_with_backoff_for_three_days_then_failed(
    org: OrgPeople, receiver: Receiver
) -> None:
    receiver.status, receiver.body = 500, b"x" * 100_000
    with time_machine.travel(START, tick=False) as clock:
        delivery = emitted(org, receiver.url())
        first = attempt(org, delivery)
        assert first is not None
        assert not first.succeeded
        assert first.status_code == 500
        assert len(first.response_excerpt) == deliveries.EXCERPT_CHARACTERS
        delivery = reload(org, delivery)
        assert delivery.next_attempt_at is not None
        wait = delivery.next_attempt_at - START
        assert timedelta(seconds=47) <= wait <= timedelta(seconds=73)
        assert attempt(org, delivery) is None  # not due yet: nothing is sent
        waits = [wait]
        while delivery.status == DeliveryStatus.PENDING:
            previous = delivery.next_attempt_at
            assert previous is not None
            clock.move_to(previous)
            assert attempt(org, delivery) is not None
            delivery = reload(org, delivery)
            if delivery.next_attempt_at:
                waits.append(delivery.next_attempt_at - previous)
        assert delivery.status == DeliveryStatus.FAILED
        assert timezone.now() - START <= timedelta(days=3)
    assert waits[1] > waits[0]
    assert waits[4] > waits[3]
    assert max(waits) <= deliveries.LONGEST_WAIT * 1.2
    assert delivery.attempt_count == len(receiver.received) >= 10


def test_only_a_retry_due_soon_is_queued_with_an_eta_a_later_one_waits_for_the_sweep(
    org: OrgPeople, receiver: Receiver, django_capture_on_commit_callbacks
) -> None:
    receiver.status = 500
    with time_machine.travel(START, tick=False) as clock:
        delivery = emitted(org, receiver.url())
        with django_capture_on_commit_callbacks() as soon:
            attempt(org, delivery)  # the first retry is about a minute away
        assert len(soon) == 1
        delivery = reload(org, delivery)
        with organization_scope(org.organization):
            WebhookDelivery.objects.filter(pk=delivery.pk).update(attempt_count=8)
        assert delivery.next_attempt_at is not None
        clock.move_to(delivery.next_attempt_at)
        with django_capture_on_commit_callbacks() as later:
            attempt(org, delivery)  # the ninth failure: the next retry is hours away
        assert later == []
        delivery = reload(org, delivery)
        assert delivery.next_attempt_at is not None
        assert delivery.next_attempt_at - timezone.now() > deliveries.SCHEDULE_AHEAD
        clock.move_to(delivery.next_attempt_at)
        with organization_scope(org.organization):
            assert len(receiver.received) == 2
            webhook_deliveries_due(org.organization, timezone.now())  # the sweep sends it
    assert len(receiver.received) == 3


def test_a_redirect_is_not_followed_and_counts_as_a_failure(
    org: OrgPeople, receiver: Receiver
) -> None:
    receiver.status, receiver.location = 302, receiver.url("/elsewhere")
    delivery = emitted(org, receiver.url())
    done = attempt(org, delivery)
    assert done is not None
    assert not done.succeeded
    assert done.status_code == 302
    assert "redirect" in done.error
    assert [request.path for request in receiver.received] == ["/hook"]


def test_a_receiver_that_does_not_answer_in_time_is_a_failure(
    org: OrgPeople, receiver: Receiver
) -> None:
    receiver.hold = True
    delivery = emitted(org, receiver.url())
    done = attempt(org, delivery)
    assert done is not None
    assert not done.succeeded
    assert done.status_code is None
    assert "in time" in done.error
    assert reload(org, delivery).status == DeliveryStatus.PENDING  # retried later


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/hook",
        "http://localhost:{port}/hook",
        "http://[::ffff:127.0.0.1]:{port}/",
    ],
)
def test_outside_the_test_allowance_a_loopback_address_is_never_called(
    org: OrgPeople, receiver: Receiver, url: str
) -> None:
    delivery = emitted(org, receiver.url())
    with organization_scope(org.organization):
        WebhookEndpoint.objects.filter(pk=delivery.endpoint_id).update(
            url=url.format(port=receiver.port)
        )
    with override_settings(WEBHOOKS_ALLOW_PRIVATE_ADDRESSES_FOR_TESTS=False):
        done = attempt(org, delivery)
    assert done is not None
    assert not done.succeeded
    assert "public" in done.error
    assert receiver.received == []


def test_the_metadata_address_is_refused_even_with_the_allowance(
    org: OrgPeople, receiver: Receiver
) -> None:
    delivery = emitted(org, receiver.url())
    with organization_scope(org.organization):
        WebhookEndpoint.objects.filter(pk=delivery.endpoint_id).update(
            url="http://169.254.169.254/latest/meta-data/"
        )
    done = attempt(org, delivery)
    assert done is not None
    assert not done.succeeded
    assert "public" in done.error


def test_an_endpoint_failing_for_three_days_is_turned_off_and_the_owner_emailed(
    org: OrgPeople, receiver: Receiver, django_capture_on_commit_callbacks
) -> None:
    receiver.status = 503
    with time_machine.travel(START, tick=False) as clock:
        delivery = emitted(org, receiver.url())
        with django_capture_on_commit_callbacks(execute=True):
            while reload(org, delivery).endpoint.is_enabled:
                assert timezone.now() - START < timedelta(days=4)
                delivery = reload(org, delivery)
                if delivery.status != DeliveryStatus.PENDING:
                    break
                clock.move_to(delivery.next_attempt_at)
                attempt(org, delivery)
    endpoint = reload(org, delivery).endpoint
    assert not endpoint.is_enabled
    assert endpoint.disabled_reason == "failing"
    assert endpoint.failing_since == START
    with organization_scope(org.organization):
        [note] = Notification.objects.filter(kind="webhook-disabled")
    assert note.recipient_id == org.owner.pk
    assert [message.to for message in mail.outbox] == [[org.owner.user.email]]
    assert endpoint.url in mail.outbox[0].body


def test_a_success_resets_the_failure_count(org: OrgPeople, receiver: Receiver) -> None:
    receiver.status = 500
    delivery = emitted(org, receiver.url())
    attempt(org, delivery)
    assert reload(org, delivery).endpoint.consecutive_failures == 1
    receiver.status = 200
    with organization_scope(org.organization):
        services.delivery_redeliver(actor=org.owner, delivery=delivery)
    attempt(org, delivery)
    endpoint = reload(org, delivery).endpoint
    assert endpoint.consecutive_failures == 0
    assert endpoint.failing_since is None


def test_a_redelivery_sends_the_same_message_again_as_the_next_attempt(
    org: OrgPeople, receiver: Receiver
) -> None:
    delivery = emitted(org, receiver.url())
    attempt(org, delivery)
    with organization_scope(org.organization):
        services.delivery_redeliver(actor=org.owner, delivery=delivery)
    second = attempt(org, delivery)
    assert second is not None
    assert second.number == 2
    first_id, second_id = (request.headers["webhook-id"] for request in receiver.received)
    assert first_id == second_id == delivery.message_id


def test_after_a_rotation_both_secrets_verify_for_a_day(org: OrgPeople, receiver: Receiver) -> None:
    secrets: list[str] = []
    delivery = emitted(org, receiver.url(), secrets)
    with organization_scope(org.organization):
        _, new = services.endpoint_rotate_secret(actor=org.owner, endpoint=delivery.endpoint)
    attempt(org, delivery)
    [request] = receiver.received
    Webhook(secrets[0]).verify(request.body, request.headers)
    Webhook(new).verify(request.body, request.headers)


def test_the_sweep_sends_a_due_delivery_whose_message_was_lost(
    org: OrgPeople, receiver: Receiver
) -> None:
    delivery = emitted(org, receiver.url())  # its after-commit message never ran
    with organization_scope(org.organization):
        webhook_deliveries_due(org.organization, timezone.now())
        webhook_deliveries_due(org.organization, timezone.now())  # delivered: nothing more
    assert len(receiver.received) == 1
    assert reload(org, delivery).status == DeliveryStatus.SUCCEEDED
