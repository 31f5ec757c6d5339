"""The review pages: My reviews, the author's form with autosave, the read-only view."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from perfmgmt.tenancy.context import organization_scope
from reviews.models import Review, ReviewAnswer, ReviewStatus
from reviews.selectors.writing import snapshot_questions
from reviews.whats_next import reviews_to_write
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory
from tests.reviews.factories import default_phases, running_cycle

pytestmark = pytest.mark.django_db


def prompts(review: Review) -> dict[str, int]:
    data = review.participant.snapshot.data
    return {q["prompt"]: q["id"] for _s, q in snapshot_questions(data)}


def review_of(org: OrgPeople, author, kind: str = "self") -> tuple[Review, dict[str, int]]:
    with organization_scope(org.organization):
        review = Review.objects.select_related("participant__snapshot").get(
            author=author, kind=kind
        )
        return review, prompts(review)


def both_open() -> dict:
    """Self-assessment and manager review both open now."""
    return default_phases(timezone.now() - timedelta(days=8))


def page_url(org: OrgPeople, review: Review, action: str = "") -> str:
    return f"/o/{org.organization.slug}/reviews/{review.pk}/{action}"


def test_the_author_sees_the_form_from_the_snapshot_with_the_scale_levels(org, client_for):
    running_cycle(org, [org.report])
    review, ids = review_of(org, org.report)
    response = client_for(org.report).get(page_url(org, review))
    assert response.status_code == 200
    html = response.content.decode()
    assert "How did the period go overall?" in html
    assert "Misses most goals." in html  # a level's description
    assert f'name="q{ids["How did the period go overall?"]}_0_rating"' in html
    assert "Potential" not in html  # a manager-only question is not the reviewee's to answer
    assert 'hx-trigger="input delay:1200ms' in html
    assert html.count("<h1") == 1


def test_autosave_answers_the_status_and_the_new_version(org, client_for):
    running_cycle(org, [org.report])
    review, ids = review_of(org, org.report)
    overall = ids["How did the period go overall?"]
    response = client_for(org.report).post(
        page_url(org, review),
        {"version": "0", f"q{overall}_0_rating": "4", f"q{overall}_0_text": "A good year"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Draft saved" in html
    assert 'name="version" value="1"' in html
    page = client_for(org.report).get(page_url(org, review)).content.decode()
    assert f'name="q{overall}_0_rating" id="id_q{overall}_0_rating_4" value="4" checked' in page
    with organization_scope(org.organization):
        answer = ReviewAnswer.objects.get(review=review, question_id=overall)
        assert answer.rating == Decimal("4")
        assert answer.text == "A good year"


def test_a_stale_autosave_is_a_409_showing_the_saved_version_beside_the_typed_one(org, client_for):
    running_cycle(org, [org.report])
    review, ids = review_of(org, org.report)
    overall = ids["How did the period go overall?"]
    client = client_for(org.report)
    first = {"version": "0", f"q{overall}_0_text": "Typed in the first tab"}
    assert client.post(page_url(org, review), first, HTTP_HX_REQUEST="true").status_code == 200
    second = {"version": "0", f"q{overall}_0_text": "Typed in the second tab"}
    response = client.post(page_url(org, review), second, HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    html = response.content.decode()
    assert "Typed in the first tab" in html
    assert 'data-keep-mine="1"' in html
    # The full page (no JavaScript) shows both, and the form carries the stored version.
    response = client.post(page_url(org, review), second)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Typed in the first tab" in html
    assert "Typed in the second tab" in html
    assert 'name="version" value="1"' in html


def test_a_refused_answer_is_shown_on_its_field_and_nothing_is_saved(org, client_for):
    running_cycle(org, [org.report])
    review, ids = review_of(org, org.report)
    overall = ids["How did the period go overall?"]
    response = client_for(org.report).post(
        page_url(org, review),
        {"version": "0", f"q{overall}_0_rating": "9", f"q{overall}_0_text": "Kept"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kept" in html
    with organization_scope(org.organization):
        assert not ReviewAnswer.objects.filter(review=review).exists()


def test_after_the_phase_closed_the_page_says_when_and_keeps_what_was_typed(org, client_for):
    running_cycle(org, [org.report], phases=default_phases(timezone.now() - timedelta(days=20)))
    review, ids = review_of(org, org.report)
    overall = ids["How did the period go overall?"]
    response = client_for(org.report).post(
        page_url(org, review), {"version": "0", f"q{overall}_0_text": "My late words"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "closed on" in html
    assert "My late words" in html


def test_submit_saves_then_submits_and_the_page_becomes_read_only(org, client_for):
    running_cycle(org, [org.report])
    review, ids = review_of(org, org.report)
    overall = ids["How did the period go overall?"]
    client = client_for(org.report)
    refused = client.post(page_url(org, review, "submit/"), {"version": "0"})
    assert refused.status_code == 400
    assert "needs an answer" in refused.content.decode()
    response = client.post(
        page_url(org, review, "submit/"), {"version": "1", f"q{overall}_0_rating": "3"}
    )
    assert response.status_code == 302
    with organization_scope(org.organization):
        review.refresh_from_db()
        assert review.status == ReviewStatus.SUBMITTED
    html = client.get(page_url(org, review)).content.decode()
    assert 'id="review-form"' not in html
    assert "3 · Meets expectations" in html


def test_the_manager_sees_the_submitted_self_assessment_and_the_gap(org, client_for):
    running_cycle(org, [org.report], phases=both_open())
    own, ids = review_of(org, org.report)
    overall = ids["How did the period go overall?"]
    reviewee = client_for(org.report)
    reviewee.post(page_url(org, own, "submit/"), {"version": "0", f"q{overall}_0_rating": "2"})
    manager_review, _ids = review_of(org, org.manager, "manager")
    manager = client_for(org.manager)
    manager.post(
        page_url(org, manager_review),
        {"version": "0", f"q{overall}_0_rating": "4"},
        HTTP_HX_REQUEST="true",
    )
    html = manager.get(page_url(org, manager_review)).content.decode()
    assert "Self-assessment:" in html
    assert "2 · Partly meets" in html
    assert "Gap +2" in html
    assert "Potential" in html
    assert "Overall gap (manager minus self): +2" in html


def test_a_draft_is_its_authors_alone_and_other_organizations_get_404(org, other_org, client_for):
    running_cycle(org, [org.report])
    review, _ids = review_of(org, org.report)
    for someone in (org.manager, org.hr, org.colleague):
        assert client_for(someone).get(page_url(org, review)).status_code == 404
    stranger = client_for(other_org.owner)
    assert stranger.get(f"/o/{other_org.organization.slug}/reviews/{review.pk}/").status_code == 404


def test_the_reviewee_never_reads_the_manager_review_before_release_nor_manager_only_answers(
    org, client_for
):
    running_cycle(org, [org.report], phases=both_open())
    manager_review, ids = review_of(org, org.manager, "manager")
    overall, potential = ids["How did the period go overall?"], ids["Potential"]
    manager = client_for(org.manager)
    manager.post(
        page_url(org, manager_review, "submit/"),
        {
            "version": "0",
            f"q{overall}_0_rating": "4",
            f"q{overall}_0_text": "Strong",
            f"q{potential}_0_rating": "5",
        },
    )
    reviewee = client_for(org.report)
    assert reviewee.get(page_url(org, manager_review)).status_code == 404
    with organization_scope(org.organization):
        participant = manager_review.participant
        participant.released_at = timezone.now()
        participant.save()
    html = reviewee.get(page_url(org, manager_review)).content.decode()
    assert "Strong" in html
    assert "Potential" not in html
    assert "Gap" not in html
    # HR reads all of it.
    assert "Potential" in client_for(org.hr).get(page_url(org, manager_review)).content.decode()


def my_reviews_queries(org: OrgPeople, client_for, reports: int) -> int:
    people = [
        MembershipFactory.create(organization=org.organization, manager=org.manager)
        for _ in range(reports)
    ]
    running_cycle(org, [org.manager, *people], name=f"Cycle {reports}")
    client = client_for(org.manager)
    client.get(f"/o/{org.organization.slug}/reviews/mine/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/o/{org.organization.slug}/reviews/mine/")
    assert response.status_code == 200
    return len(queries)


def test_my_reviews_runs_the_same_queries_at_5_and_at_50_rows(org, client_for):
    few = my_reviews_queries(org, client_for, 5)
    many = my_reviews_queries(org, client_for, 45)
    assert few == many


def test_my_reviews_gives_one_status_and_the_next_step_with_its_deadline(org, client_for):
    start = timezone.now() - timedelta(days=1)
    running_cycle(org, [org.report], phases=default_phases(start))
    html = client_for(org.report).get(f"/o/{org.organization.slug}/reviews/mine/").content
    text = html.decode()
    assert "Write your self-assessment - due" in text
    assert "Not started" in text
    manager_html = client_for(org.manager).get(f"/o/{org.organization.slug}/reviews/mine/")
    manager_text = manager_html.content.decode()
    assert "Opens on" in manager_text  # the manager phase opens a week later
    assert "Rita Report" in manager_text


def test_my_reviews_says_the_reviewee_waits_for_the_manager_after_submitting(org, client_for):
    running_cycle(org, [org.report])
    review, ids = review_of(org, org.report)
    overall = ids["How did the period go overall?"]
    client = client_for(org.report)
    client.post(page_url(org, review, "submit/"), {"version": "0", f"q{overall}_0_rating": "3"})
    text = client.get(f"/o/{org.organization.slug}/reviews/mine/").content.decode()
    assert "Submitted on" in text
    assert "Waiting for your manager&#x27;s review" in text


def test_the_home_page_lists_the_review_to_write_with_its_deadline(org, client_for):
    running_cycle(org, [org.report])
    review, _ids = review_of(org, org.report)
    html = client_for(org.report).get(f"/o/{org.organization.slug}/").content.decode()
    assert "Write your self-assessment - due" in html
    assert page_url(org, review) in html
    # The manager's review opens next week: nothing to write yet; it says when it opens.
    manager_home = client_for(org.manager).get(f"/o/{org.organization.slug}/").content.decode()
    assert "Rita Report (acme)&#x27;s review - due" not in manager_home
    assert "Write Rita Report (acme)&#x27;s review" in manager_home
    assert "Opens on" in manager_home


def test_the_home_page_drops_the_item_once_the_review_is_submitted(org, client_for):
    running_cycle(org, [org.report])
    review, ids = review_of(org, org.report)
    overall = ids["How did the period go overall?"]
    client = client_for(org.report)
    client.post(page_url(org, review, "submit/"), {"version": "0", f"q{overall}_0_rating": "3"})
    home = client.get(f"/o/{org.organization.slug}/").content.decode()
    assert "Write your self-assessment" not in home
    assert "Waiting for your manager&#x27;s review" in home


def review_page_queries(org: OrgPeople, client_for, goals: int) -> int:
    """The manager's page of one review whose goal question rates `goals` goals."""
    from reviews.models import GoalScoring, QuestionKind, ReviewerKind
    from reviews.services.setup import template_question_create, template_section_create
    from tests.goals.factories import GoalFactory
    from tests.reviews.factories import make_scale, make_template

    name = f"Goals {goals}"
    template = make_template(org, name=name)
    scale = make_scale(org, name=f"{name} goal scale")
    with organization_scope(org.organization):
        section = template_section_create(actor=org.hr, template=template, title="Goals")
        template_question_create(
            actor=org.hr,
            section=section,
            kind=QuestionKind.GOALS,
            prompt="Rate each goal",
            answered_by=[ReviewerKind.SELF, ReviewerKind.MANAGER],
            scale=scale,
            goal_scoring=GoalScoring.RATED,
        )
    reviewee = MembershipFactory.create(organization=org.organization, manager=org.manager)
    GoalFactory.create_batch(goals, organization=org.organization, owner_person=reviewee)
    running_cycle(org, [reviewee], template=template, name=name, phases=both_open())
    with organization_scope(org.organization):
        review = Review.objects.get(author=org.manager, participant__reviewee=reviewee)
    client = client_for(org.manager)
    client.get(page_url(org, review))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page_url(org, review))
    assert response.status_code == 200
    assert response.content.decode().count('class="review-item') == goals + 3
    return len(queries)


def test_the_review_page_runs_the_same_queries_at_5_and_at_50_goals(org, client_for):
    assert review_page_queries(org, client_for, 5) == review_page_queries(org, client_for, 50)


def test_once_released_my_reviews_leads_the_reviewee_to_the_release_page(org, client_for):
    """Where the review is read, commented and acknowledged: the release page, not the
    writing page (which has no acknowledgement), from My reviews and the home list."""
    running_cycle(org, [org.report], phases=both_open())
    manager_review, _ids = review_of(org, org.manager, "manager")
    with organization_scope(org.organization):
        Review.objects.filter(pk=manager_review.pk).update(
            status="submitted", submitted_at=timezone.now()
        )
        participant = manager_review.participant
        participant.released_at = timezone.now()
        participant.save()
    text = client_for(org.report).get(f"/o/{org.organization.slug}/reviews/mine/").content
    html = text.decode()
    released = f"/o/{org.organization.slug}/reviews/released/{participant.pk}/"
    assert "Read your review and acknowledge it" in html
    assert f'href="{released}"' in html
    assert f'href="{page_url(org, manager_review)}"' not in html
    assert "Write your self-assessment" not in html
    with organization_scope(org.organization):
        items = reviews_to_write(org.report)
    assert [item.url for item in items] == [released]
