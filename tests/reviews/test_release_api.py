"""Release, comment, acknowledge, progress and export over the API: scopes, people, 404s."""

from __future__ import annotations

import pytest

from perfmgmt.api.models import Scope
from perfmgmt.tenancy.context import organization_scope
from tests.conftest import OrgPeople
from tests.reviews.release_helpers import written_cycle

pytestmark = pytest.mark.django_db


def url(org: OrgPeople, resource: str, object_id: int, action: str = "") -> str:
    base = f"/api/v1/orgs/{org.organization.slug}/reviews/{resource}/{object_id}/"
    return base + (f"{action}/" if action else "")


def test_a_key_with_write_releases_a_cycle_and_a_reader_key_cannot(
    org: OrgPeople, api_with_key
) -> None:
    cycle = written_cycle(org, [org.report, org.report2])
    reader = api_with_key(org, scopes=[Scope.REVIEWS_READ])
    assert reader.post(url(org, "cycle-results", cycle.pk, "release")).status_code == 403
    writer = api_with_key(org, scopes=[Scope.REVIEWS_WRITE])
    response = writer.post(url(org, "cycle-results", cycle.pk, "release"))
    assert response.status_code == 200
    assert response.json() == {"released": 2}
    assert writer.post(url(org, "cycle-results", cycle.pk, "release")).json() == {"released": 0}


def test_progress_and_export_read_with_reviews_read(org: OrgPeople, api_with_key, api_as) -> None:
    cycle = written_cycle(org, [org.report, org.report2])
    reader = api_with_key(org, scopes=[Scope.REVIEWS_READ])
    progress = reader.get(url(org, "cycle-results", cycle.pk, "progress")).json()
    assert progress["overall"]["total"] == 2
    assert progress["overall"]["manager_done"] == 2
    assert progress["by_manager"][0]["name"] == "Max Manager (acme)"
    export = reader.get(url(org, "cycle-results", cycle.pk, "export"))
    assert export.status_code == 200
    assert b"".join(export.streaming_content).decode().count("\n") == 3
    assert (
        api_as(org.manager).get(url(org, "cycle-results", cycle.pk, "progress")).status_code == 403
    )


def test_the_reviewee_comments_and_acknowledges_and_a_key_may_not(
    org: OrgPeople, api_as, api_with_key
) -> None:
    cycle = written_cycle(org, [org.report])
    with organization_scope(org.organization):
        participant = cycle.participants.get()
    hr = api_as(org.hr)
    released = hr.post(url(org, "participant-results", participant.pk, "release"))
    assert released.status_code == 200
    assert released.json()["released_at"] is not None
    key = api_with_key(org)
    refused = key.post(url(org, "acknowledgements", participant.pk, "acknowledge"))
    assert refused.status_code == 403
    me = api_as(org.report)
    commented = me.post(
        url(org, "acknowledgements", participant.pk, "comment"), {"text": "Agreed"}, format="json"
    )
    assert commented.status_code == 200
    assert commented.json()["employee_comment"] == "Agreed"
    too_long = me.post(
        url(org, "acknowledgements", participant.pk, "comment"),
        {"text": "x" * 6000},
        format="json",
    )
    assert too_long.status_code == 400
    acknowledged = me.post(url(org, "acknowledgements", participant.pk, "acknowledge"))
    assert acknowledged.json()["acknowledged_at"] is not None
    manager = api_as(org.manager).post(url(org, "acknowledgements", participant.pk, "acknowledge"))
    assert manager.status_code == 403


def test_another_organizations_ids_are_404(
    org: OrgPeople, other_org: OrgPeople, api_as, api_with_key
) -> None:
    theirs = written_cycle(other_org, [other_org.report])
    with organization_scope(other_org.organization):
        participant = theirs.participants.get()
    key = api_with_key(org, scopes=[Scope.REVIEWS_READ, Scope.REVIEWS_WRITE])
    assert key.post(url(org, "cycle-results", theirs.pk, "release")).status_code == 404
    assert key.get(url(org, "cycle-results", theirs.pk, "progress")).status_code == 404
    assert key.get(url(org, "participant-results", participant.pk)).status_code == 404
    assert key.post(url(org, "acknowledgements", participant.pk, "comment")).status_code == 404
    with organization_scope(other_org.organization):
        participant.refresh_from_db()
    assert participant.released_at is None


def test_hr_corrects_a_released_answer_over_the_api_with_a_reason(
    org: OrgPeople, other_org: OrgPeople, api_as
) -> None:
    from reviews.models import ReviewerKind
    from reviews.services.release import participant_release

    cycle = written_cycle(org, [org.report])
    with organization_scope(org.organization):
        participant = cycle.participants.get()
        participant_release(actor=org.hr, participant=participant)
        answer = (
            participant.reviews.get(kind=ReviewerKind.MANAGER)
            .answers.filter(rating__isnull=False)
            .order_by("pk")[0]
        )
    correct = url(org, "answer-corrections", answer.pk, "correct")
    no_reason = api_as(org.hr).post(correct, {"rating": "3"}, format="json")
    assert no_reason.status_code == 400
    assert "reason" in no_reason.content.decode()
    refused = api_as(org.manager).post(correct, {"rating": "3", "reason": "x"}, format="json")
    assert refused.status_code == 403
    done = api_as(org.hr).post(correct, {"rating": "3", "reason": "Calibrated"}, format="json")
    assert done.status_code == 200
    assert done.json()["rating"] == "3.00"
