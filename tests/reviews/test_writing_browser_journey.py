"""Writing a self-assessment in a real browser: autosave while typing, a second tab's save
shown beside the first tab's text (409), a draft kept in the browser when a save does not
get through and restored on reload, submitting after a confirmation; on a 360 px phone."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from reviews.models import Review, ReviewAnswer, ReviewStatus
from reviews.selectors.writing import snapshot_questions
from tests.conftest import OrgPeople, login
from tests.goals.factories import GoalFactory
from tests.reviews.factories import running_cycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in_context(new_context, base_url: str, member: Membership, width: int = 1280):
    client = login(Client(), member)
    context = new_context()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}])
    return context


def test_the_self_assessment_autosaves_survives_a_second_tab_and_a_lost_save(
    live_server, new_context, org: OrgPeople
) -> None:
    running_cycle(org, [org.report])
    goal = GoalFactory.create(organization=org.organization, owner_person=org.report)
    with organization_scope(org.organization):
        review = Review.objects.select_related("participant__snapshot").get(
            author=org.report, kind="self"
        )
        data = review.participant.snapshot.data
        overall = next(q["id"] for _s, q in snapshot_questions(data) if q["kind"] == "overall")
    url = f"{live_server.url}/o/{org.organization.slug}/reviews/{review.pk}/"
    comment = f"textarea[name=q{overall}_0_text]"
    context = signed_in_context(new_context, live_server.url, org.report)

    first = context.new_page()
    first.set_viewport_size({"width": 360, "height": 800})
    first.goto(url)
    assert first.evaluate("document.documentElement.scrollWidth") <= 360
    first.get_by_label("Exceeds").check()
    first.fill(comment, "Shipped the onboarding")
    first.get_by_text("Draft saved at").wait_for()
    with organization_scope(org.organization):
        answer = ReviewAnswer.objects.get(review=review, question_id=overall)
        assert answer.text == "Shipped the onboarding"

    second = context.new_page()
    second.goto(url)
    second.fill(comment, "Written in the second tab")
    second.get_by_text("Draft saved at").wait_for()

    first.fill(comment, "Shipped the onboarding, and more")
    first.get_by_role("heading", name="The version saved elsewhere").wait_for()
    assert "Written in the second tab" in first.locator(".review-conflict").inner_text()
    assert first.input_value(comment) == "Shipped the onboarding, and more"
    first.get_by_role("button", name="Keep my version and save it").click()
    first.get_by_text("Draft saved at").wait_for()
    with organization_scope(org.organization):
        answer.refresh_from_db()
        assert answer.text == "Shipped the onboarding, and more"

    # A save that does not get through: the text stays in the browser and comes back.
    first.goto(url)
    first.route(
        "**/reviews/*/",
        lambda route: route.abort() if route.request.method == "POST" else route.continue_(),
    )
    first.fill(comment, "Typed while the network was down")
    first.wait_for_timeout(2000)
    first.unroute("**/reviews/*/")
    first.goto(url)
    first.get_by_text("What you typed here before and had not saved is restored").wait_for()
    assert first.input_value(comment) == "Typed while the network was down"

    # Cite a goal from the evidence panel in the answer being written; then take it back.
    first.focus(comment)
    with first.expect_response(lambda response: response.request.method == "POST"):
        first.locator(f"[data-cite='goal:{goal.pk}']").click()
    with organization_scope(org.organization):
        answer.refresh_from_db()
        assert answer.citations == [f"goal:{goal.pk}"]
    first.reload()
    with first.expect_response(lambda response: response.request.method == "POST"):
        first.locator(f"[data-uncite='goal:{goal.pk}']").click()
    with organization_scope(org.organization):
        answer.refresh_from_db()
        assert answer.citations == []

    first.on("dialog", lambda dialog: dialog.accept())
    first.get_by_role("button", name="Submit").click()
    first.get_by_text("Review submitted.").wait_for()
    with organization_scope(org.organization):
        review.refresh_from_db()
        assert review.status == ReviewStatus.SUBMITTED
        answer.refresh_from_db()
        assert answer.text == "Typed while the network was down"
