"""An approved reward is a webhook event for payroll: what was approved for whom, never the
reason or the note; nothing before approval."""

from __future__ import annotations

import json

import pytest

from perfmgmt.integrations.webhooks.models import WebhookEvent
from perfmgmt.tenancy.context import organization_scope
from rewards import services
from tests.conftest import OrgPeople
from tests.integrations.webhooks.conftest import Receiver, receiver, register
from tests.rewards.factories import make_reward

__all__ = ["receiver"]  # the fixture

pytestmark = pytest.mark.django_db


def test_an_approved_reward_is_an_event_with_the_facts_and_no_text(
    org: OrgPeople, receiver: Receiver
) -> None:
    register(org, receiver.url("/payroll"), ["reward.approved"])
    reward = make_reward(org.manager, org.report)
    with organization_scope(org.organization):
        assert not WebhookEvent.objects.exists()  # proposed: nothing yet
        services.reward_approve(actor=org.hr, proposal=reward, note="Paid in March")
        [event] = WebhookEvent.objects.all()

    assert event.event_type == "reward.approved"
    data = event.payload["data"]
    assert (data["id"], data["person_id"], data["kind"]) == (reward.pk, org.report.pk, "bonus")
    assert (data["amount"], data["currency"]) == ("300.00", "EUR")
    text = json.dumps(event.payload)
    assert "Shipped" not in text
    assert "Paid in March" not in text
