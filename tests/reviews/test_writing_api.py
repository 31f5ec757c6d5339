"""The reviews API: lists what the caller may read, answers with versions (409 when stale,
carrying what is stored), submit; keys read submitted reviews and never write."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from perfmgmt.api.models import Scope
from perfmgmt.tenancy.context import organization_scope
from reviews.models import Review
from reviews.selectors.writing import snapshot_questions
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory
from tests.reviews.factories import default_phases, running_cycle

pytestmark = pytest.mark.django_db


def url(org: OrgPeople, review_id: int | None = None, action: str = "") -> str:
    base = f"/api/v1/orgs/{org.organization.slug}/reviews/reviews/"
    if review_id is not None:
        base += f"{review_id}/"
    return base + (f"{action}/" if action else "")


def both_open():
    return default_phases(timezone.now() - timedelta(days=8))


def the_review(org: OrgPeople, author, kind: str) -> tuple[Review, dict[str, int]]:
    with organization_scope(org.organization):
        review = Review.objects.select_related("participant__snapshot").get(
            author=author, kind=kind
        )
        data = review.participant.snapshot.data
        return review, {q["prompt"]: q["id"] for _s, q in snapshot_questions(data)}


def test_the_author_saves_answers_and_a_stale_save_is_a_409_with_the_stored_ones(
    org, api_as
) -> None:
    running_cycle(org, [org.report])
    review, ids = the_review(org, org.report, "self")
    overall = ids["How did the period go overall?"]
    client = api_as(org.report)
    body = {"version": 0, "answers": [{"question_id": overall, "rating": "4", "text": "Fine"}]}
    response = client.put(url(org, review.pk, "answers"), body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 1
    assert response.json()["answers"][0]["text"] == "Fine"
    stale = {"version": 0, "answers": [{"question_id": overall, "text": "Other tab"}]}
    response = client.patch(url(org, review.pk, "answers"), stale, format="json")
    assert response.status_code == 409
    current = response.json()["error"]["current"]
    assert current["version"] == 1
    assert current["answers"][0]["text"] == "Fine"
    bad = {"version": 1, "answers": [{"question_id": overall, "rating": "8"}]}
    response = client.put(url(org, review.pk, "answers"), bad, format="json")
    assert response.status_code == 400
    assert f"q{overall}_0" in response.json()["error"]["fields"]


def test_submit_is_idempotent_and_drafts_stay_with_their_author(org, api_as) -> None:
    running_cycle(org, [org.report])
    review, ids = the_review(org, org.report, "self")
    overall = ids["How did the period go overall?"]
    author = api_as(org.report)
    assert api_as(org.manager).get(url(org, review.pk)).status_code == 404
    assert author.post(url(org, review.pk, "submit"), {}, format="json").status_code == 400
    author.put(
        url(org, review.pk, "answers"),
        {"version": 0, "answers": [{"question_id": overall, "rating": "3"}]},
        format="json",
    )
    first = author.post(url(org, review.pk, "submit"), {"version": 1}, format="json")
    assert first.status_code == 200
    assert first.json()["review_status"] == "submitted"
    again = author.post(url(org, review.pk, "submit"), {}, format="json")
    assert again.json()["submitted_at"] == first.json()["submitted_at"]
    assert api_as(org.manager).get(url(org, review.pk)).status_code == 200


def test_the_reviewee_never_gets_manager_only_answers(org, api_as) -> None:
    running_cycle(org, [org.report], phases=both_open())
    review, ids = the_review(org, org.manager, "manager")
    overall, potential = ids["How did the period go overall?"], ids["Potential"]
    manager = api_as(org.manager)
    manager.put(
        url(org, review.pk, "answers"),
        {
            "version": 0,
            "answers": [
                {"question_id": overall, "rating": "4"},
                {"question_id": potential, "rating": "5"},
            ],
        },
        format="json",
    )
    manager.post(url(org, review.pk, "submit"), {}, format="json")
    reviewee = api_as(org.report)
    assert reviewee.get(url(org, review.pk)).status_code == 404
    with organization_scope(org.organization):
        participant = review.participant
        participant.released_at = timezone.now()
        participant.save()
    answers = reviewee.get(url(org, review.pk)).json()["answers"]
    assert [answer["question_id"] for answer in answers] == [overall]
    hr_answers = api_as(org.hr).get(url(org, review.pk)).json()["answers"]
    assert {answer["question_id"] for answer in hr_answers} == {overall, potential}


def test_keys_read_submitted_reviews_only_and_cannot_write(org, other_org, api_with_key):
    running_cycle(org, [org.report, org.report2], phases=both_open())
    draft, _prompts = the_review(org, org.report, "self")
    submitted, _ids = the_review(org, org.report2, "self")
    with organization_scope(org.organization):
        Review.objects.filter(pk=submitted.pk).update(
            status="submitted", submitted_at=timezone.now()
        )
    key = api_with_key(org, [Scope.REVIEWS_READ, Scope.REVIEWS_WRITE])
    listed = [row["id"] for row in key.get(url(org)).json()["results"]]
    assert listed == [submitted.pk]
    assert key.get(url(org, draft.pk)).status_code == 404
    response = key.put(
        url(org, submitted.pk, "answers"), {"version": 0, "answers": []}, format="json"
    )
    assert response.status_code == 403
    foreign = api_with_key(other_org, [Scope.REVIEWS_READ, Scope.REVIEWS_WRITE])
    other_url = f"/api/v1/orgs/{other_org.organization.slug}/reviews/reviews/{submitted.pk}/"
    assert foreign.get(other_url).status_code == 404
    assert foreign.put(other_url + "answers/", {}, format="json").status_code == 404


def test_the_list_filters_by_reviewer_status_and_open_phase(org, api_as) -> None:
    running_cycle(org, [org.report, org.report2])  # self open, manager opens next week
    client = api_as(org.manager)
    mine = client.get(url(org), {"reviewer": org.manager.pk}).json()["results"]
    assert {row["reviewee"] for row in mine} == {org.report.pk, org.report2.pk}
    assert client.get(url(org), {"phase": "manager"}).json()["results"] == []
    own = api_as(org.report).get(url(org), {"phase": "self"}).json()["results"]
    assert [row["reviewer_kind"] for row in own] == ["self"]
    assert client.get(url(org), {"status": "nonsense"}).status_code == 400


def list_queries(org: OrgPeople, api_as, count: int) -> int:
    people = [
        MembershipFactory.create(organization=org.organization, manager=org.manager)
        for _ in range(count)
    ]
    running_cycle(org, people, name=f"List {count}")
    client = api_as(org.manager)
    client.get(url(org), {"page_size": 200})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(org), {"page_size": 200})
    assert response.status_code == 200
    return len(queries)


def test_the_list_runs_the_same_queries_at_5_and_at_50_rows(org, api_as) -> None:
    assert list_queries(org, api_as, 5) == list_queries(org, api_as, 45)
