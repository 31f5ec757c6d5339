"""Review cycles and participants over the API: HR or keys by scope, another org's ids 404."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from perfmgmt.api.models import Scope
from perfmgmt.tenancy.context import organization_scope
from reviews.models import CycleStatus, Participant, Review, ReviewCycle, ReviewStatus
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory
from tests.reviews.factories import make_template, running_cycle

pytestmark = pytest.mark.django_db

YEAR = datetime.now(UTC).year + 1


def api(org: OrgPeople, path: str) -> str:
    return f"/api/v1/orgs/{org.organization.slug}/reviews/{path}"


def body(template_id: int) -> dict[str, object]:
    return {
        "name": "Annual",
        "period_start": f"{YEAR - 1}-01-01",
        "period_end": f"{YEAR - 1}-12-31",
        "template": template_id,
        "phases": [
            {
                "phase": "self",
                "opens_on": f"{YEAR}-02-02",
                "opens_time": "09:00",
                "closes_on": f"{YEAR}-02-16",
                "closes_time": "17:00",
            }
        ],
    }


def test_a_key_creates_and_launches_a_cycle_and_gets_202_with_the_progress(
    org: OrgPeople, api_with_key, django_capture_on_commit_callbacks
) -> None:
    template = make_template(org)
    client = api_with_key(org, scopes=[Scope.REVIEWS_READ, Scope.REVIEWS_WRITE])
    response = client.post(api(org, "cycles/"), body(template.pk), format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert [phase["phase"] for phase in created["phases"]] == ["self"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(api(org, f"cycles/{created['id']}/launch/"))
    assert response.status_code == 202
    assert response.json()["launch_total"] == 6
    with organization_scope(org.organization):
        assert ReviewCycle.objects.get(pk=created["id"]).status == CycleStatus.ACTIVE
    again = client.post(api(org, f"cycles/{created['id']}/launch/"))
    assert again.status_code == 202
    with organization_scope(org.organization):
        assert Participant.objects.filter(cycle_id=created["id"]).count() == 6
        # Only self reviews: the cycle has no manager phase.
        assert Review.objects.filter(participant__cycle_id=created["id"]).count() == 6


def test_bad_phases_are_a_400_with_messages_and_nothing_is_saved(org: OrgPeople, api_as) -> None:
    template = make_template(org)
    data = body(template.pk)
    data["phases"][0]["closes_on"] = f"{YEAR}-01-01"  # type: ignore[index]
    response = api_as(org.hr).post(api(org, "cycles/"), data, format="json")
    assert response.status_code == 400
    assert "self" in str(response.json())
    with organization_scope(org.organization):
        assert not ReviewCycle.objects.exists()


def test_a_read_key_cannot_write_and_managers_cannot_read(
    org: OrgPeople, api_with_key, api_as
) -> None:
    cycle = running_cycle(org, [org.report])
    reader = api_with_key(org, scopes=[Scope.REVIEWS_READ])
    assert reader.get(api(org, f"cycles/{cycle.pk}/")).status_code == 200
    assert reader.post(api(org, f"cycles/{cycle.pk}/launch/")).status_code == 403
    assert api_as(org.manager).get(api(org, "cycles/")).status_code == 403


def test_another_organizations_cycle_and_participant_are_404(
    org: OrgPeople, other_org: OrgPeople, api_as
) -> None:
    theirs = running_cycle(other_org, [other_org.report])
    with organization_scope(other_org.organization):
        participant = Participant.objects.get(cycle=theirs)
    client = api_as(org.hr)
    assert client.get(api(org, f"cycles/{theirs.pk}/")).status_code == 404
    assert client.post(api(org, f"cycles/{theirs.pk}/launch/")).status_code == 404
    assert client.get(api(org, f"participants/{participant.pk}/")).status_code == 404
    extend = {"reviewer_kind": "self", "until": f"{YEAR}-12-01T10:00:00Z"}
    assert (
        client.post(api(org, f"participants/{participant.pk}/extend/"), extend, format="json")
    ).status_code == 404


def test_participants_filter_by_cycle_and_manager_in_cursor_pages(org: OrgPeople, api_as) -> None:
    cycle = running_cycle(org, [org.report, org.report2, org.colleague])
    running_cycle(org, [org.report], name="Other")
    client = api_as(org.hr)
    query = {"cycle": cycle.pk, "manager": org.manager.pk}
    response = client.get(api(org, "participants/"), query)
    assert response.status_code == 200
    reviewees = {row["reviewee"] for row in response.json()["results"]}
    assert reviewees == {org.report.pk, org.report2.pk}
    page = client.get(api(org, "participants/"), {"page_size": 2}).json()
    assert len(page["results"]) == 2
    assert page["next"]
    assert client.get(api(org, "participants/"), {"cycle": "x"}).status_code == 400


def test_extend_add_late_and_reopen_over_the_api(org: OrgPeople, api_as) -> None:
    cycle = running_cycle(org, [org.report])
    client = api_as(org.hr)
    with organization_scope(org.organization):
        participant = Participant.objects.get(cycle=cycle)
        closes = cycle.phases.get(kind="self").closes_at
        review = Review.objects.get(participant=participant, kind="self")
        review.status, review.submitted_at = ReviewStatus.SUBMITTED, timezone.now()
        review.save()
    until = (closes + timedelta(days=2)).isoformat()
    early = client.post(
        api(org, f"participants/{participant.pk}/extend/"),
        {"reviewer_kind": "self", "until": closes.isoformat()},
        format="json",
    )
    assert early.status_code == 400
    assert "until" in str(early.json())
    ok = client.post(
        api(org, f"participants/{participant.pk}/extend/"),
        {"reviewer_kind": "self", "until": until},
        format="json",
    )
    assert ok.status_code == 200
    assert ok.json()["self_deadline"] is not None
    reopened = client.post(
        api(org, f"participants/{participant.pk}/reopen/"),
        {"review": review.pk, "reason": "Wrong goal", "until": until},
        format="json",
    )
    assert reopened.status_code == 200, reopened.json()
    statuses = {row["reviewer_kind"]: row["review_status"] for row in reopened.json()["reviews"]}
    assert statuses["self"] == "draft"
    added = client.post(
        api(org, f"cycles/{cycle.pk}/add-late/"), {"membership": org.report2.pk}, format="json"
    )
    assert added.status_code == 201
    assert added.json()["added_late"] is True


@pytest.mark.parametrize("path", ["cycles/", "participants/"])
def test_the_lists_run_the_same_queries_at_5_and_50(org: OrgPeople, api_as, path: str) -> None:
    client = api_as(org.hr)

    def queries(count: int) -> int:
        people = MembershipFactory.create_batch(
            count, organization=org.organization, manager=org.manager
        )
        for number in range(count if path == "cycles/" else 1):
            who = people[:1] if path == "cycles/" else people
            running_cycle(org, who, name=f"C{count}-{number}")
        with CaptureQueriesContext(connection) as captured:
            response = client.get(api(org, path), {"page_size": 200})
        assert response.status_code == 200
        return len(captured)

    assert queries(5) == queries(50)
