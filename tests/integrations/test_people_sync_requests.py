"""Idempotency keys and large batches run as jobs."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

from django.utils import timezone

from perfmgmt.integrations import tasks
from perfmgmt.integrations.models import IdempotentResponse, SyncJob
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.integrations.conftest import chain, sync_url, synced


def test_the_same_key_and_body_get_the_first_answer_and_change_nothing(org, sync_client) -> None:
    client = sync_client(org)
    first = client.post(
        sync_url(org), {"people": chain(3)}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    with organization_scope(org.organization):
        Membership.objects.filter(external_id="E0").update(job_title="Changed by hand")

    again = client.post(
        sync_url(org), {"people": chain(3)}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )

    assert again.status_code == first.status_code == 200
    assert again.json() == first.json()
    assert again.json()["created"] == 3
    assert again["Idempotent-Replayed"] == "true"
    assert synced(org)["E0"].job_title == "Changed by hand"  # not synced again


def test_the_same_key_with_another_body_is_a_422_and_changes_nothing(org, sync_client) -> None:
    client = sync_client(org)
    client.post(sync_url(org), {"people": chain(2)}, format="json", HTTP_IDEMPOTENCY_KEY="k-2")

    other = client.post(
        sync_url(org), {"people": chain(3)}, format="json", HTTP_IDEMPOTENCY_KEY="k-2"
    )

    assert other.status_code == 422
    assert "Idempotency-Key" in other.json()["error"]["fields"]
    assert set(synced(org)) == {"E0", "E1"}


def test_an_expired_key_is_a_new_request(org, sync_client) -> None:
    client = sync_client(org)
    client.post(sync_url(org), {"people": chain(2)}, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    with organization_scope(org.organization):
        IdempotentResponse.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    again = client.post(
        sync_url(org), {"people": chain(3)}, format="json", HTTP_IDEMPOTENCY_KEY="k-3"
    )

    assert again.status_code == 200
    assert again.json()["created"] == 1


def test_keys_are_per_organization(org, other_org, sync_client) -> None:
    sync_client(org).post(
        sync_url(org), {"people": chain(2)}, format="json", HTTP_IDEMPOTENCY_KEY="same"
    )

    other = sync_client(other_org).post(
        sync_url(other_org), {"people": chain(3)}, format="json", HTTP_IDEMPOTENCY_KEY="same"
    )

    assert other.status_code == 200
    assert other.json()["created"] == 3


def test_a_large_batch_runs_as_a_job_whose_url_reports_the_result(
    org, other_org, sync_client, settings, django_capture_on_commit_callbacks
) -> None:
    settings.PEOPLE_SYNC_JOB_THRESHOLD = 3
    client = sync_client(org)

    with django_capture_on_commit_callbacks(execute=True):
        accepted = client.post(sync_url(org), {"people": chain(5)}, format="json")

    assert accepted.status_code == 202
    job = accepted.json()["job"]
    assert job["status"] == "queued"
    assert job["url"] == f"/api/v1/orgs/acme/people/sync/jobs/{job['id']}/"
    state = client.get(job["url"]).json()["job"]
    assert state["status"] == "succeeded"
    assert state["progress"] == {"total": 5, "processed": 5}
    assert state["result"]["created"] == 5
    assert synced(org)["E0"].manager_id == synced(org)["E1"].pk
    with organization_scope(org.organization):
        assert SyncJob.objects.get(pk=job["id"]).people == []  # the body is not kept
    foreign = sync_client(other_org).get(f"/api/v1/orgs/globex/people/sync/jobs/{job['id']}/")
    assert foreign.status_code == 404


def test_only_ids_go_through_the_broker(org, sync_client, settings) -> None:
    settings.PEOPLE_SYNC_JOB_THRESHOLD = 1
    with (
        mock.patch.object(tasks.people_sync_job_run, "delay") as delay,
        mock.patch("django.db.transaction.on_commit", lambda callback: callback()),
    ):
        accepted = sync_client(org).post(sync_url(org), {"people": chain(2)}, format="json")

    delay.assert_called_once_with(org.organization.pk, accepted.json()["job"]["id"])


def test_a_job_run_twice_applies_once(
    org, sync_client, settings, django_capture_on_commit_callbacks
):
    settings.PEOPLE_SYNC_JOB_THRESHOLD = 1
    with django_capture_on_commit_callbacks(execute=True):
        accepted = sync_client(org).post(sync_url(org), {"people": chain(2)}, format="json")
    job_id = accepted.json()["job"]["id"]

    tasks.people_sync_job_run(org.organization.pk, job_id)  # a redelivered message

    with organization_scope(org.organization):
        result = SyncJob.objects.get(pk=job_id).result
        assert result is not None
        assert result["created"] == 2
        assert Membership.objects.filter(external_id="E0").count() == 1


def test_a_job_of_another_organization_is_a_404_like_a_missing_one(
    org, other_org, sync_client
) -> None:
    with organization_scope(other_org.organization):
        foreign = SyncJob.objects.create(people=[], total=0)
    client = sync_client(org)
    assert client.get(f"/api/v1/orgs/acme/people/sync/jobs/{foreign.pk}/").status_code == 404
    assert client.get("/api/v1/orgs/acme/people/sync/jobs/999999/").status_code == 404
