"""Events are written by the services that make the change, in the same transaction."""

from __future__ import annotations

import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from goals.models import GoalStatus, Visibility
from goals.services import goal_update
from perfmgmt.errors import PermissionDeniedError
from perfmgmt.integrations.webhooks import catalogue
from perfmgmt.integrations.webhooks.events import emit
from perfmgmt.integrations.webhooks.models import WebhookDelivery, WebhookEvent
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.services import member_deactivate, member_invite, member_update
from tests.conftest import OrgPeople
from tests.feedback.factories import make_checkin
from tests.goals.factories import create_goal

from .conftest import Receiver, register

pytestmark = pytest.mark.django_db


def events(org: OrgPeople, name: str | None = None) -> list[WebhookEvent]:
    with organization_scope(org.organization):
        rows = WebhookEvent.objects.order_by("id")
        return list(rows.filter(event_type=name) if name else rows)


def test_a_goal_created_is_written_with_one_delivery_per_subscribed_endpoint(
    org: OrgPeople, receiver: Receiver
) -> None:
    first, _ = register(org, receiver.url("/a"), ["goal.created"])
    second, _ = register(org, receiver.url("/b"), ["goal.created", "goal.completed"])
    register(org, receiver.url("/c"), ["member.updated"])

    goal = create_goal(org.report)

    [event] = events(org)
    assert event.event_type == "goal.created"
    assert event.payload["data"]["id"] == goal.pk
    assert event.payload["organization"] == org.organization.slug
    with organization_scope(org.organization):
        endpoints = set(WebhookDelivery.objects.values_list("endpoint_id", flat=True))
    assert endpoints == {first.pk, second.pk}


def test_nothing_is_written_when_no_enabled_endpoint_listens_and_it_costs_one_query(
    org: OrgPeople, receiver: Receiver
) -> None:
    endpoint, _ = register(org, receiver.url(), ["goal.created"])
    with organization_scope(org.organization):
        endpoint.is_enabled = False
        endpoint.save()
        with CaptureQueriesContext(connection) as queries:
            assert emit("goal.created", resource=org.report) is None
    assert len(queries) == 1
    assert events(org) == []


def test_a_change_rolled_back_leaves_no_event(org: OrgPeople, receiver: Receiver) -> None:
    register(org, receiver.url(), ["member.updated"])

    def change_then_fail() -> None:
        with transaction.atomic():
            member_update(actor=org.owner, member=org.report, job_title="Lead")
            assert len(events(org, "member.updated")) == 1  # written with the change...
            raise RuntimeError("the request failed after the change")

    with organization_scope(org.organization), pytest.raises(RuntimeError, match="failed"):
        change_then_fail()
    assert events(org) == []  # ...and gone with it


def test_a_refused_change_writes_no_event(org: OrgPeople, receiver: Receiver) -> None:
    register(org, receiver.url(), ["member.updated"])
    with organization_scope(org.organization), pytest.raises(PermissionDeniedError):
        member_update(actor=org.report, member=org.colleague, job_title="Boss")
    assert events(org) == []


def test_the_member_services_emit_created_updated_and_deactivated(
    org: OrgPeople, receiver: Receiver
) -> None:
    register(org, receiver.url(), ["member.created", "member.updated", "member.deactivated"])
    with organization_scope(org.organization):
        new = member_invite(actor=org.owner, email="new@acme.example", full_name="New Person")
        member_update(actor=org.owner, member=org.report, job_title="Lead")
        member_update(actor=org.owner, member=org.report, job_title="Lead")  # no change
        member_deactivate(actor=org.owner, member=org.colleague)
    names = [(event.event_type, event.payload["data"]["id"]) for event in events(org)]
    assert names == [
        ("member.created", new.pk),
        ("member.updated", org.report.pk),
        ("member.deactivated", org.colleague.pk),
    ]
    assert events(org)[2].payload["data"]["status"] == "left"


def test_completing_a_goal_emits_goal_completed_once(org: OrgPeople, receiver: Receiver) -> None:
    register(org, receiver.url(), ["goal.completed"])
    goal = create_goal(org.report)
    with organization_scope(org.organization):
        goal = goal_update(actor=org.report, goal=goal, status=GoalStatus.ACTIVE)
        goal = goal_update(actor=org.report, goal=goal, status=GoalStatus.COMPLETED)
        goal_update(actor=org.report, goal=goal, title="Renamed after completion")
    [event] = events(org)
    assert event.event_type == "goal.completed"
    assert event.payload["data"]["status"] == "completed"


def test_submitting_a_check_in_emits_it_without_its_answers(
    org: OrgPeople, receiver: Receiver
) -> None:
    register(org, receiver.url(), ["checkin.submitted"])
    draft = make_checkin(org.report)
    answers = ["A private worry about Max"] + [""] * (len(draft.questions) - 1)
    checkin = make_checkin(org.report, submit=True, answers=answers)
    [event] = events(org)
    assert event.payload["data"]["id"] == checkin.pk
    assert event.payload["data"]["person_id"] == org.report.pk
    assert event.payload["data"]["submitted_at"]
    assert "private worry" not in json.dumps(event.payload)


def test_a_payload_carries_only_the_catalogue_fields(org: OrgPeople, receiver: Receiver) -> None:
    register(org, receiver.url(), ["goal.created"])
    create_goal(
        org.report,
        description="Secret plan",
        visibility=Visibility.OWNER_AND_MANAGERS,
        reward_text="A bonus",
    )
    [event] = events(org)
    expected = {"object", "id", *catalogue.event_type("goal.created").fields}
    assert set(event.payload["data"]) == expected
    text = json.dumps(event.payload)
    assert "Secret plan" not in text
    assert "A bonus" not in text


def test_one_organizations_endpoints_never_get_another_organizations_events(
    org: OrgPeople, other_org: OrgPeople, receiver: Receiver
) -> None:
    theirs, _ = register(other_org, receiver.url("/theirs"), ["goal.created"])
    create_goal(org.report)
    assert events(org) == []
    assert events(other_org) == []
    with organization_scope(other_org.organization):
        assert not WebhookDelivery.objects.filter(endpoint=theirs).exists()


def test_every_catalogue_event_has_a_label_and_a_known_scope() -> None:
    from perfmgmt.api.models import Scope

    for event in catalogue.EVENT_TYPES:
        assert str(event.label)
        assert event.scope in Scope.values
    with pytest.raises(ValueError, match="Unknown webhook event type"):
        catalogue.event_type("goal.deleted")
