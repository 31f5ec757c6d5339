"""In Chromium: Rita nominates three peers, Max approves them, they answer on their own
pages, and once the
peer phase has closed and her review is released Rita reads the combined feedback; Ravi,
with only two answers, reads "not enough responses"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from reviews.models import CyclePhase, Participant, PhaseKind, Review
from reviews.services.writing import AnswerInput, review_submit
from tests.conftest import OrgPeople, login
from tests.reviews.peer_helpers import RATING, TEXT, approve_peers, new_peers, peer_cycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def page_for(new_context, base_url: str, member: Membership):
    client = login(Client(), member)
    context = new_context()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}])
    page = context.new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    return page


def _answer(review: Review, rating: int, text: str) -> None:
    questions = {
        q["prompt"]: q["id"]
        for s in review.participant.snapshot.data["sections"]
        for q in s["questions"]
    }
    review_submit(
        actor=review.author,
        review=review,
        version=review.version,
        answers=[
            AnswerInput(question_id=questions[RATING], rating=str(rating)),
            AnswerInput(question_id=questions[TEXT], text=text),
        ],
    )


def test_peers_are_nominated_approved_answer_and_the_reviewee_reads_the_aggregate(
    live_server, new_context, org: OrgPeople
) -> None:
    cycle = peer_cycle(org, [org.report, org.report2], threshold=3, minimum=3)
    peers = new_peers(org, 3)
    with organization_scope(org.organization):
        rita_part = Participant.objects.get(cycle=cycle, reviewee=org.report)
        ravi_part = Participant.objects.select_related("snapshot").get(
            cycle=cycle, reviewee=org.report2
        )
        ravi_reviews = approve_peers(ravi_part, peers[:2])
    base = f"{live_server.url}/o/acme/reviews"

    rita = page_for(new_context, live_server.url, org.report)
    rita.goto(f"{base}/peers/{rita_part.pk}/")
    rita.get_by_text("Anonymous feedback").first.wait_for()  # the form says which kind
    rita.get_by_label("Peers (emails, one a line)").fill("\n".join(p.email for p in peers))
    rita.get_by_role("button", name="Nominate").click()
    rita.get_by_text("Waiting for the manager's approval").first.wait_for()
    assert rita.get_by_role("button", name="Approve").count() == 0

    max_page = page_for(new_context, live_server.url, org.manager)
    max_page.goto(f"{base}/peers/")
    max_page.get_by_text("Nominations waiting for you").wait_for()
    max_page.goto(f"{base}/peers/{rita_part.pk}/")
    for peer in peers:
        row = max_page.get_by_role("row").filter(has_text=peer.display_name)
        row.get_by_role("button", name="Approve").click()
        max_page.get_by_text("Saved.").wait_for()
    assert max_page.get_by_text("Approved").count() == 3

    texts_written = ["Zest for detail", "Calm in storms", "Asks well"]
    for number, peer in enumerate(peers):
        writer = page_for(new_context, live_server.url, peer)
        writer.on("dialog", lambda dialog: dialog.accept())
        writer.goto(f"{base}/peers/requests/")
        writer.get_by_text("Anonymous feedback").first.wait_for()  # the form says which kind
        request = writer.locator("section").filter(has_text=org.report.display_name)
        request.get_by_role("link", name="Write your feedback").click()
        writer.get_by_text("nobody but you can read that you wrote").wait_for()
        writer.get_by_text(["Meets expectations", "Exceeds", "Outstanding"][number]).click()
        writer.get_by_label("Your answer").fill(texts_written[number])
        writer.get_by_role("button", name="Submit").click()
        writer.wait_for_load_state()
        writer.get_by_text("Review submitted.").first.wait_for()
        assert writer.get_by_text(texts_written[number]).count() == 1
        writer.context.close()

    with organization_scope(org.organization):
        mine = Review.objects.select_related("participant__snapshot", "participant__cycle")
        for number, peer in enumerate(peers):
            review = mine.get(participant=rita_part, kind="peer", author=peer)
            _answer(
                review, 3 + number % 3, ["Zest for detail", "Calm in storms", "Asks well"][number]
            )
        for review in ravi_reviews:
            _answer(mine.get(pk=review.pk), 4, "Only two of us")
        now = timezone.now()
        CyclePhase.objects.filter(cycle=cycle, kind=PhaseKind.PEER).update(
            opens_at=now - timedelta(days=10), closes_at=now - timedelta(minutes=1)
        )
        Participant.objects.filter(cycle=cycle).update(released_at=now, released_by=org.hr)

    rita.goto(f"{base}/peers/{rita_part.pk}/results/")
    rita.get_by_text("3 responses").wait_for()
    texts = rita.locator("[data-group=peer] li").all_inner_texts()
    assert texts == ["Asks well", "Calm in storms", "Zest for detail"]
    assert rita.get_by_text(peers[0].display_name).count() == 0
    assert rita.evaluate("document.documentElement.scrollWidth") <= 360

    ravi = page_for(new_context, live_server.url, org.report2)
    ravi.goto(f"{base}/peers/{ravi_part.pk}/results/")
    ravi.get_by_text("Not enough responses").first.wait_for()
    assert ravi.get_by_text("Only two of us").count() == 0
