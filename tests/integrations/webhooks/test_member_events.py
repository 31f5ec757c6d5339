"""The people sync and SCIM send the member webhooks every other way of changing a person
sends: one event per person changed, in the transaction of the change, and only to the
organization's own endpoints."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from perfmgmt.api.models import Scope
from perfmgmt.integrations.services.people_sync import people_sync
from perfmgmt.integrations.webhooks.catalogue import event_type
from perfmgmt.integrations.webhooks.events import resource_data
from perfmgmt.integrations.webhooks.models import WebhookDelivery, WebhookEvent
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, MembershipStatus
from tests.api.conftest import create_key
from tests.conftest import OrgPeople
from tests.integrations.conftest import chain, person, sync_url, synced
from tests.integrations.scim.conftest import Scim, new_user, patch_body

from .conftest import Receiver, register

pytestmark = pytest.mark.django_db

MEMBER_EVENTS = ["member.created", "member.updated", "member.deactivated"]


def events(org: OrgPeople) -> list[WebhookEvent]:
    with organization_scope(org.organization):
        return list(WebhookEvent.objects.order_by("id"))


def kinds(org: OrgPeople) -> dict[str, list[str]]:
    """Event type -> the external ids it was sent for, in order."""
    found: dict[str, list[str]] = {}
    for event in events(org):
        found.setdefault(event.event_type, []).append(event.payload["data"]["external_id"])
    return found


def catalogue_payload(org: OrgPeople, member_id: int, name: str) -> dict[str, Any]:
    with organization_scope(org.organization):
        member = Membership.objects.select_related("user").get(pk=member_id)
        return resource_data(event_type(name), member)


def sync(org: OrgPeople, people: list[dict[str, Any]], **options: Any) -> Any:
    credential, _key = create_key(org, [Scope.PEOPLE_SYNC])
    with organization_scope(org.organization):
        return people_sync(actor=credential, people=people, **options)


# --- The people sync ----------------------------------------------------------------------


def test_a_sync_sends_one_member_created_per_new_person_with_the_catalogue_payload(
    org: OrgPeople, other_org: OrgPeople, receiver: Receiver, sync_client: Any
) -> None:
    endpoint, _ = register(org, receiver.url("/acme"), MEMBER_EVENTS)
    register(other_org, receiver.url("/globex"), MEMBER_EVENTS)

    response = sync_client(org).post(sync_url(org), {"people": chain(3)}, format="json")

    assert response.status_code == 200, response.json()
    assert kinds(org) == {"member.created": ["E0", "E1", "E2"]}
    people = synced(org)
    for event in events(org):
        member = people[event.payload["data"]["external_id"]]
        assert event.payload["data"] == catalogue_payload(org, member.pk, "member.created")
        assert event.payload["organization"] == org.organization.slug
    assert people["E0"].manager_id is not None
    assert events(org)[0].payload["data"]["manager_id"] == people["E0"].manager_id
    with organization_scope(org.organization):
        deliveries = list(WebhookDelivery.objects.values_list("endpoint_id", "status"))
    assert deliveries == [(endpoint.pk, "pending")] * 3
    assert events(other_org) == []


def test_a_replay_that_changes_nothing_sends_nothing_and_a_change_sends_one_update(
    org: OrgPeople, receiver: Receiver
) -> None:
    register(org, receiver.url(), MEMBER_EVENTS)
    sync(org, chain(3))
    first = len(events(org))

    sync(org, chain(3))
    assert len(events(org)) == first

    rows = chain(3)
    rows[1]["job_title"] = "Staff engineer"
    sync(org, rows)
    [update] = events(org)[first:]
    assert update.event_type == "member.updated"
    assert update.payload["data"]["job_title"] == "Staff engineer"
    assert update.payload["data"] == catalogue_payload(org, synced(org)["E1"].pk, "member.updated")


def test_a_full_sync_sends_member_deactivated_for_who_left_and_updated_for_their_reports(
    org: OrgPeople, receiver: Receiver
) -> None:
    register(org, receiver.url(), MEMBER_EVENTS)
    sync(org, chain(3))  # E0 -> E1 -> E2
    before = len(events(org))

    sync(org, [person(0, manager=1), person(2)], mode="full")

    # Everyone else of the organization (the fixture's people, not synced) leaves too.
    written = {e.payload["data"]["id"]: e for e in events(org)[before:]}
    people = synced(org)
    with organization_scope(org.organization):
        left = set(
            Membership.objects.filter(status=MembershipStatus.LEFT).values_list("pk", flat=True)
        )
    assert {pk for pk, e in written.items() if e.event_type == "member.deactivated"} == left
    assert people["E1"].pk in left
    assert people["E2"].pk not in written
    moved = written[people["E0"].pk]
    assert moved.event_type == "member.updated"
    assert moved.payload["data"]["manager_id"] == people["E2"].pk
    assert written[people["E1"].pk].payload["data"]["status"] == MembershipStatus.LEFT


def test_a_row_with_status_left_is_a_member_deactivated(org: OrgPeople, receiver: Receiver) -> None:
    register(org, receiver.url(), MEMBER_EVENTS)
    sync(org, [person(0)])

    sync(org, [person(0, status="left")])

    assert kinds(org) == {"member.created": ["E0"], "member.deactivated": ["E0"]}


def test_a_dry_run_and_an_all_or_nothing_sync_that_fails_send_nothing(
    org: OrgPeople, receiver: Receiver
) -> None:
    register(org, receiver.url(), MEMBER_EVENTS)

    assert sync(org, chain(3), dry_run=True).created == 3
    failed = sync(org, [*chain(2), person(9, manager=42)])

    assert failed.errors
    assert not failed.applied
    assert events(org) == []


def test_apply_valid_rows_sends_events_for_the_rows_applied_only(
    org: OrgPeople, receiver: Receiver
) -> None:
    register(org, receiver.url(), MEMBER_EVENTS)

    sync(org, [*chain(2), person(9, manager=42)], on_error="apply_valid")

    assert kinds(org) == {"member.created": ["E0", "E1"]}


def test_only_the_events_an_endpoint_subscribes_to_are_written(
    org: OrgPeople, receiver: Receiver
) -> None:
    register(org, receiver.url(), ["member.updated"])

    sync(org, chain(2))
    assert events(org) == []

    rows = chain(2)
    rows[0]["job_title"] = "Lead"
    sync(org, rows)
    assert kinds(org) == {"member.updated": ["E0"]}


@pytest.mark.parametrize("listening", [False, True])
def test_the_sync_costs_the_same_statements_at_5_and_at_50_people(
    org: OrgPeople, receiver: Receiver, listening: bool
) -> None:
    if listening:
        register(org, receiver.url(), MEMBER_EVENTS)
        register(org, receiver.url("/second"), ["member.created"])
    counts = []
    for count, offset in ((5, 0), (50, 100)):
        team = f"Team {count}"  # a new team each time: the same statements create it
        rows = [person(offset + n, manager=offset + n + 1, team=team) for n in range(count - 1)]
        rows.append(person(offset + count - 1, team=team))
        with CaptureQueriesContext(connection) as queries:
            result = sync(org, rows)
        assert result.created == count
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert len(events(org)) == (55 if listening else 0)


def test_a_large_sync_run_as_a_job_sends_its_events(
    org: OrgPeople,
    receiver: Receiver,
    sync_client: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.PEOPLE_SYNC_JOB_THRESHOLD = 2
    register(org, receiver.url(), MEMBER_EVENTS)

    with django_capture_on_commit_callbacks(execute=True):
        response = sync_client(org).post(sync_url(org), {"people": chain(4)}, format="json")

    assert response.status_code == 202
    assert kinds(org) == {"member.created": ["E0", "E1", "E2", "E3"]}


# --- SCIM ---------------------------------------------------------------------------------


def scim_events(org: OrgPeople) -> list[tuple[str, int]]:
    return [(e.event_type, e.payload["data"]["id"]) for e in events(org)]


def test_scim_post_of_someone_new_is_one_member_created(
    org: OrgPeople, other_org: OrgPeople, receiver: Receiver, scim: Scim
) -> None:
    register(org, receiver.url(), MEMBER_EVENTS)
    register(other_org, receiver.url("/globex"), MEMBER_EVENTS)

    response = scim.post("/Users", new_user(1))

    assert response.status_code == 201, response.content
    member_id = int(response.json()["id"])
    [event] = events(org)
    assert (event.event_type, event.payload["data"]["id"]) == ("member.created", member_id)
    assert event.payload["data"] == catalogue_payload(org, member_id, "member.created")
    assert event.payload["data"]["display_name"] == "New Person 1"
    assert events(other_org) == []


def test_scim_put_and_patch_send_one_update_and_nothing_when_nothing_changes(
    org: OrgPeople, receiver: Receiver, scim: Scim
) -> None:
    member_id = int(scim.post("/Users", new_user(1)).json()["id"])
    register(org, receiver.url(), MEMBER_EVENTS)

    assert scim.put(f"/Users/{member_id}", new_user(1, title="Architect")).status_code == 200
    assert scim.put(f"/Users/{member_id}", new_user(1, title="Architect")).status_code == 200
    replace = {"op": "replace", "path": "title", "value": "Principal"}
    assert scim.patch(f"/Users/{member_id}", patch_body(replace)).status_code == 200

    assert scim_events(org) == [("member.updated", member_id)] * 2
    assert [e.payload["data"]["job_title"] for e in events(org)] == ["Architect", "Principal"]


def test_scim_active_false_with_other_changes_is_one_member_deactivated(
    org: OrgPeople, receiver: Receiver, scim: Scim
) -> None:
    member_id = int(scim.post("/Users", new_user(1)).json()["id"])
    register(org, receiver.url(), MEMBER_EVENTS)
    operations = patch_body(
        {"op": "replace", "path": "title", "value": "Gone"},
        {"op": "replace", "path": "active", "value": False},
    )

    assert scim.patch(f"/Users/{member_id}", operations).status_code == 200

    [event] = events(org)
    assert (event.event_type, event.payload["data"]["id"]) == ("member.deactivated", member_id)
    assert (event.payload["data"]["status"], event.payload["data"]["job_title"]) == (
        MembershipStatus.LEFT,
        "Gone",
    )


def test_scim_delete_is_one_member_deactivated_and_a_second_delete_sends_nothing(
    org: OrgPeople, receiver: Receiver, scim: Scim
) -> None:
    member_id = int(scim.post("/Users", new_user(1)).json()["id"])
    register(org, receiver.url(), MEMBER_EVENTS)

    assert scim.delete(f"/Users/{member_id}").status_code == 204
    scim.delete(f"/Users/{member_id}")

    assert scim_events(org) == [("member.deactivated", member_id)]


def test_scim_provisioning_someone_who_left_again_is_one_member_updated(
    org: OrgPeople, receiver: Receiver, scim: Scim
) -> None:
    member_id = int(scim.post("/Users", new_user(1)).json()["id"])
    scim.delete(f"/Users/{member_id}")
    register(org, receiver.url(), MEMBER_EVENTS)

    again = scim.post("/Users", new_user(1, title="Returned"))

    assert again.status_code == 201, again.content
    assert scim_events(org) == [("member.updated", member_id)]
    assert events(org)[0].payload["data"]["status"] == MembershipStatus.ACTIVE


def test_a_scim_request_that_fails_sends_nothing(
    org: OrgPeople, receiver: Receiver, scim: Scim
) -> None:
    register(org, receiver.url(), MEMBER_EVENTS)
    body = new_user(1)
    body["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] = {
        "manager": {"value": "999999"}
    }

    response = scim.post("/Users", body)

    assert response.status_code == 400, response.content
    assert events(org) == []


def test_a_scim_put_that_reactivates_and_retitles_someone_is_one_member_updated(
    org: OrgPeople, receiver: Receiver, scim: Scim
) -> None:
    member_id = int(scim.post("/Users", new_user(1)).json()["id"])
    scim.patch(
        f"/Users/{member_id}", patch_body({"op": "replace", "path": "active", "value": False})
    )
    register(org, receiver.url(), MEMBER_EVENTS)

    response = scim.put(f"/Users/{member_id}", new_user(1, title="Back", active=True))

    assert response.status_code == 200, response.content
    [event] = events(org)
    assert (event.event_type, event.payload["data"]["id"]) == ("member.updated", member_id)
    assert (event.payload["data"]["status"], event.payload["data"]["job_title"]) == (
        MembershipStatus.ACTIVE,
        "Back",
    )
