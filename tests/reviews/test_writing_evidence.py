"""The evidence panel shows only what the reader may open elsewhere, bounded, in fixed
queries; citations link to the item's page; a recency signal when most of it is recent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from feedback.models import Feedback
from goals.models import GoalUpdate, Visibility
from perfmgmt.tenancy.context import organization_scope
from reviews.evidence import LATEST, evidence_for
from reviews.models import Participant, Review
from reviews.selectors.writing import snapshot_questions
from tests.conftest import OrgPeople
from tests.feedback.factories import make_coaching_record, make_feedback
from tests.goals.factories import GoalFactory
from tests.reviews.factories import running_cycle

pytestmark = pytest.mark.django_db


def refs(evidence) -> dict[str, list[str]]:
    return {group.kind: [item.ref for item in group.items] for group in evidence.groups}


def test_each_reader_sees_only_what_they_may_open_elsewhere(scope, org) -> None:
    running_cycle(org, [org.report])
    participant = Participant.objects.get(reviewee=org.report)
    goal = GoalFactory.create(
        organization=org.organization,
        owner_person=org.report,
        visibility=Visibility.OWNER_AND_MANAGERS,
    )
    shared = make_feedback(org.colleague, org.report)
    private = make_feedback(org.colleague, org.report, visibility=Feedback.Visibility.PRIVATE)
    note = make_feedback(org.owner, org.report, visibility=Feedback.Visibility.MANAGER_ONLY)
    coaching = make_coaching_record(org.manager, org.report)

    as_manager = refs(evidence_for(actor=org.manager, participant=participant))
    assert f"goal:{goal.pk}" in as_manager["goal"]
    assert f"feedback:{shared.pk}" in as_manager["feedback"]
    assert f"feedback:{note.pk}" in as_manager["feedback"]
    assert f"feedback:{private.pk}" not in as_manager["feedback"]
    assert as_manager["coaching"] == [f"coaching:{coaching.pk}"]

    as_reviewee = refs(evidence_for(actor=org.report, participant=participant))
    assert f"feedback:{private.pk}" in as_reviewee["feedback"]
    assert f"feedback:{note.pk}" not in as_reviewee["feedback"]

    as_colleague = refs(evidence_for(actor=org.colleague, participant=participant))
    assert as_colleague["coaching"] == []
    assert as_colleague["goal"] == []  # the goal is for its owner and their managers


def test_the_panel_is_bounded_with_a_link_to_the_rest(scope, org) -> None:
    running_cycle(org, [org.report])
    participant = Participant.objects.get(reviewee=org.report)
    GoalFactory.create_batch(LATEST + 2, organization=org.organization, owner_person=org.report)
    evidence = evidence_for(actor=org.manager, participant=participant)
    goals = next(group for group in evidence.groups if group.kind == "goal")
    assert len(goals.items) == LATEST
    assert goals.more_url


def evidence_queries(org: OrgPeople, count: int) -> int:
    reviewee = org.report if count == 5 else org.report2
    running_cycle(org, [reviewee], name=f"Evidence {count}")
    participant = Participant.objects.get(reviewee=reviewee)
    goals = GoalFactory.create_batch(count, organization=org.organization, owner_person=reviewee)
    for goal in goals:
        GoalUpdate.objects.create(goal=goal, author=reviewee, confidence="on_track")
    for _ in range(count):
        make_feedback(org.colleague, reviewee)
        make_feedback(org.owner, reviewee, visibility=Feedback.Visibility.MANAGER_ONLY)
    with CaptureQueriesContext(connection) as queries:
        evidence_for(actor=org.manager, participant=participant)
    return len(queries)


def test_the_panel_runs_the_same_queries_at_5_and_at_50_items(scope, org) -> None:
    assert evidence_queries(org, 5) == evidence_queries(org, 50)


def test_a_citation_links_to_the_item_and_an_unreadable_one_is_not_linked(org, client_for):
    running_cycle(org, [org.report])
    goal = GoalFactory.create(organization=org.organization, owner_person=org.report)
    private = make_feedback(org.colleague, org.report, visibility=Feedback.Visibility.PRIVATE)
    with organization_scope(org.organization):
        review = Review.objects.get(author=org.report, kind="self")
        overall = next(
            q["id"]
            for _s, q in snapshot_questions(review.participant.snapshot.data)
            if q["kind"] == "overall"
        )
    client = client_for(org.report)
    response = client.post(
        f"/o/{org.organization.slug}/reviews/{review.pk}/submit/",
        {
            "version": "0",
            f"q{overall}_0_rating": "4",
            f"q{overall}_0_cite": f"goal:{goal.pk},feedback:{private.pk}",
        },
    )
    assert response.status_code == 302
    mine = client.get(f"/o/{org.organization.slug}/reviews/{review.pk}/").content.decode()
    assert f'href="/o/{org.organization.slug}/goals/{goal.pk}/"' in mine
    assert f"/feedback/{private.pk}/" in mine  # the reviewee may open their private feedback
    assert 'data-uncite="' not in mine  # submitted: nothing to remove any more
    # The manager may not open the private feedback: it is named, not linked.
    theirs = client_for(org.manager).get(f"/o/{org.organization.slug}/reviews/{review.pk}/")
    html = theirs.content.decode()
    assert f'href="/o/{org.organization.slug}/goals/{goal.pk}/"' in html
    assert "An item you cannot open" in html
    assert f"/feedback/{private.pk}/" not in html


def test_the_page_says_when_most_cited_evidence_is_from_the_end_of_the_period(org, client_for):
    running_cycle(org, [org.report])
    goal = GoalFactory.create(organization=org.organization, owner_person=org.report)
    with organization_scope(org.organization):
        late = [
            GoalUpdate.objects.create(
                goal=goal,
                author=org.report,
                confidence="on_track",
                created_at=datetime(2026, 12, 20, tzinfo=UTC) + timedelta(days=n),
            )
            for n in range(3)
        ]
        early = GoalUpdate.objects.create(
            goal=goal,
            author=org.report,
            confidence="on_track",
            created_at=datetime(2026, 3, 1, tzinfo=UTC),
        )
        review = Review.objects.get(author=org.report, kind="self")
        overall = next(
            q["id"]
            for _s, q in snapshot_questions(review.participant.snapshot.data)
            if q["kind"] == "overall"
        )
    client = client_for(org.report)
    cited = ",".join(f"goal_update:{update.pk}" for update in [*late, early])
    client.post(
        f"/o/{org.organization.slug}/reviews/{review.pk}/",
        {"version": "0", f"q{overall}_0_cite": cited},
    )
    html = client.get(f"/o/{org.organization.slug}/reviews/{review.pk}/").content.decode()
    assert "from the last four weeks of the period" in html
    balanced = ",".join(f"goal_update:{update.pk}" for update in [late[0], early])
    client.post(
        f"/o/{org.organization.slug}/reviews/{review.pk}/",
        {"version": "1", f"q{overall}_0_cite": balanced},
    )
    html = client.get(f"/o/{org.organization.slug}/reviews/{review.pk}/").content.decode()
    assert "from the last four weeks of the period" not in html


def test_a_draft_answer_offers_to_remove_each_citation(org, client_for) -> None:
    running_cycle(org, [org.report])
    goal = GoalFactory.create(organization=org.organization, owner_person=org.report)
    with organization_scope(org.organization):
        review = Review.objects.get(author=org.report, kind="self")
        overall = next(
            q["id"]
            for _s, q in snapshot_questions(review.participant.snapshot.data)
            if q["kind"] == "overall"
        )
    client = client_for(org.report)
    page = f"/o/{org.organization.slug}/reviews/{review.pk}/"
    client.post(page, {"version": "0", f"q{overall}_0_cite": f"goal:{goal.pk}"})
    html = client.get(page).content.decode()
    assert f'data-uncite="goal:{goal.pk}"' in html
    assert f'value="goal:{goal.pk}"' in html  # the answer's citations field
