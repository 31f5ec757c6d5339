"""A whole review, end to end, in a real browser: HR builds a rating scale and a template
(an overall rating both reviewers answer, a manager-only question), creates a cycle with its
phases and launches it; Rita writes her self-assessment, reloads half-way and finds every
word, submits; Max writes her review beside the evidence panel, her self-assessment and the
gap between the two, submits; HR releases from the cycle's progress page; Rita reads her
review (never the manager-only question), comments and acknowledges.

The clock is real (a live server runs in another thread): the phases HR enters put the self
and manager phases open now; once both reviews are in, the phases move on through the ORM so
that release and acknowledgement are open, as the other journeys set their phases directly.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from reviews.models import (
    CyclePhase,
    CycleStatus,
    Participant,
    PhaseKind,
    Review,
    ReviewAnswer,
    ReviewCycle,
    ReviewStatus,
)
from tests.conftest import OrgPeople, login
from tests.goals.factories import GoalFactory
from tests.reviews.factories import running_cycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ZONE = "Europe/Berlin"
OVERALL = "How did the period go overall?"
POTENTIAL = "Potential for a larger role"
SELF_WORDS = "I shipped the onboarding flow and mentored two new colleagues"
MORE_WORDS = ", and I want to lead the billing rewrite next."
MANAGER_WORDS = "Rita carried the onboarding; the next step is a team of her own."


def signed_in_page(new_context, base_url: str, member: Membership, path: str):
    client = login(Client(), member)
    context = new_context()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}])
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base_url}/o/{member.organization.slug}/{path}")
    return page


def question(page, prompt: str):
    return page.locator(".review-question", has=page.get_by_role("heading", name=prompt))


def fill_phase(page, label: str, opens, closes) -> None:
    page.get_by_label(f"{label} opens on ({ZONE})").fill(opens.date().isoformat())
    page.get_by_label(f"{label} opens at ({ZONE})").fill(opens.strftime("%H:%M"))
    page.get_by_label(f"{label} closes on ({ZONE})").fill(closes.date().isoformat())
    page.get_by_label(f"{label} closes at ({ZONE})").fill(closes.strftime("%H:%M"))


def hr_builds_scale_template_and_cycle(hr, org: OrgPeople) -> None:
    # A rating scale of three levels.
    hr.get_by_role("link", name="Add a scale").click()
    hr.get_by_label("Name", exact=True).fill("Three steps")
    for number, (value, label) in enumerate(
        [("1", "Below expectations"), ("2", "Meets expectations"), ("3", "Exceeds")], start=1
    ):
        hr.get_by_label(f"Level {number} value").fill(value)
        hr.get_by_label(f"Level {number} label").fill(label)
    hr.get_by_role("button", name="Save scale").click()
    hr.get_by_text("Three steps saved.").wait_for()
    assert "3 levels" in hr.locator("main").inner_text()

    # A template: one section, the overall rating (self and manager), a manager-only rating.
    hr.goto(f"{hr.url.split('/reviews/')[0]}/reviews/templates/")
    hr.get_by_label("Name", exact=True).fill("Annual review")
    hr.get_by_role("button", name="Create template").click()
    hr.get_by_role("heading", name="Annual review", level=1).wait_for()
    hr.get_by_label("Title").fill("Results")
    hr.get_by_label("Weight", exact=True).fill("1")
    hr.get_by_role("button", name="Add section").click()
    hr.get_by_role("heading", name="Results").wait_for()

    hr.get_by_label("Kind").select_option(label="Overall rating")
    hr.get_by_label("Question", exact=True).fill(OVERALL)
    hr.get_by_label("Rating scale").select_option(label="Three steps")
    hr.get_by_label("Self-assessment").check()
    hr.get_by_label("Manager review").check()
    hr.get_by_label("With a comment").check()
    hr.get_by_role("button", name="Add question").click()
    hr.get_by_text("Template saved.").wait_for()

    hr.get_by_label("Kind").select_option(label="Rating on a scale")
    hr.get_by_label("Question", exact=True).fill(POTENTIAL)
    hr.get_by_label("Rating scale").select_option(label="Three steps")
    hr.get_by_label("Manager review").check()
    hr.get_by_label("Their managers and HR, never the reviewee").check()
    hr.get_by_role("button", name="Add question").click()
    hr.locator("li", has_text=POTENTIAL).first.wait_for()
    # The editor says, per question, who reads the answers.
    readers = hr.locator("li", has_text=POTENTIAL).locator(".question-readers").inner_text()
    assert "Rita" not in readers
    overall_readers = hr.locator("li", has_text=OVERALL).locator(".question-readers")
    assert overall_readers.inner_text() != readers

    # A cycle reviewing this year's evidence, its phases in Berlin: self and manager open now.
    zone = ZoneInfo(ZONE)
    now = timezone.now().astimezone(zone).replace(second=0, microsecond=0)
    day = timedelta(days=1)
    hr.goto(f"{hr.url.split('/reviews/')[0]}/reviews/cycles/")
    hr.get_by_role("link", name="New cycle").click()
    hr.get_by_label("Name", exact=True).fill("Annual journey")
    hr.get_by_label("Evidence from").fill(f"{now.year}-01-01")
    hr.get_by_label("Evidence until").fill(f"{now.year}-12-31")
    hr.get_by_label("Template", exact=True).select_option(label="Annual review")
    hr.get_by_role("button", name="Create cycle").click()
    hr.get_by_text("Annual journey created. Set its phases.").wait_for()
    hr.get_by_role("link", name="Set the phases").click()
    start = now - day
    fill_phase(hr, "Self-assessment", start, now + 10 * day)
    fill_phase(hr, "Manager review", start, now + 12 * day)
    fill_phase(hr, "Release", now + 13 * day, now + 20 * day)
    fill_phase(hr, "Acknowledgement", now + 13 * day, now + 30 * day)
    hr.get_by_role("button", name="Save phases").click()
    hr.get_by_text("Phases saved.").wait_for()
    phases = hr.get_by_role("table").inner_text()
    for label in ("Self-assessment", "Manager review", "Release", "Acknowledgement"):
        assert label in phases
    assert "6 people would take part." in hr.content()

    # The launch (eager in tests) and the running cycle.
    hr.get_by_role("button", name="Launch the cycle").click()
    hr.get_by_text("Launched: 6 people take part.").wait_for()
    hr.get_by_role("heading", name="Annual journey", level=1).wait_for()
    assert hr.locator("h1 .badge").inner_text() == str(CycleStatus.ACTIVE.label)
    hr.get_by_role("link", name="Progress, late reviews and release").wait_for()
    with organization_scope(org.organization):
        cycle = ReviewCycle.objects.get(name="Annual journey")
        assert cycle.status == CycleStatus.ACTIVE
        assert Participant.objects.filter(cycle=cycle).count() == 6


def test_a_review_from_the_scale_to_the_acknowledgement(
    live_server, new_context, org: OrgPeople
) -> None:
    org.organization.time_zone = ZONE
    org.organization.save()
    GoalFactory.create(
        organization=org.organization, owner_person=org.report, title="Ship the onboarding"
    )
    base = live_server.url

    # --- HR: scale, template, cycle, phases, launch.
    hr = signed_in_page(new_context, base, org.hr, "reviews/scales/")
    hr_builds_scale_template_and_cycle(hr, org)
    with organization_scope(org.organization):
        cycle = ReviewCycle.objects.get(name="Annual journey")
        participant = Participant.objects.get(cycle=cycle, reviewee=org.report)
        self_review = participant.reviews.get(kind="self")

    # --- Rita: My reviews, the self-assessment, a reload half-way, submit.
    rita = signed_in_page(new_context, base, org.report, "reviews/mine/")
    rita.get_by_role("heading", name="My reviews", level=1).wait_for()
    step = rita.locator(".review-step", has_text="Annual journey")
    assert "Write your self-assessment" in step.inner_text()
    step.get_by_role("link", name="Annual journey").click()
    rita.get_by_role("heading", name="Self-assessment by Rita Report (acme)").wait_for()
    assert rita.get_by_role("heading", name=POTENTIAL).count() == 0
    overall = question(rita, OVERALL)
    overall.get_by_label("Meets expectations").check()
    comment = overall.locator("textarea")
    comment.fill(SELF_WORDS)
    rita.get_by_text("Draft saved at").wait_for()
    rita.reload()
    overall = question(rita, OVERALL)
    comment = overall.locator("textarea")
    assert comment.input_value() == SELF_WORDS
    assert overall.get_by_label("Meets expectations").is_checked()
    comment.press("End")
    comment.press_sequentially(MORE_WORDS)
    rita.on("dialog", lambda dialog: dialog.accept())
    rita.get_by_role("button", name="Submit").click()
    rita.get_by_text("Review submitted.").wait_for()
    assert rita.locator("#review-status").inner_text() == str(ReviewStatus.SUBMITTED.label)
    rita.get_by_text(SELF_WORDS + MORE_WORDS).wait_for()
    with organization_scope(org.organization):
        self_review.refresh_from_db()
        assert self_review.status == ReviewStatus.SUBMITTED
        assert ReviewAnswer.objects.get(review=self_review).text == SELF_WORDS + MORE_WORDS

    # --- Max: the review to write, beside the evidence, the self-assessment and the gap.
    max_ = signed_in_page(new_context, base, org.manager, "reviews/mine/")
    writing = max_.locator(".review-step", has_text="Rita Report")
    writing.get_by_role("link").click()
    max_.get_by_role("heading", name="Manager review of Rita Report (acme)").wait_for()
    evidence = max_.locator(".review-aside")
    evidence.get_by_role("heading", name="Evidence of the period").wait_for()
    evidence.get_by_role("link", name="Ship the onboarding").wait_for()
    overall = question(max_, OVERALL)
    other = overall.locator(".review-other")
    assert "Self-assessment:" in other.inner_text()
    assert "Meets expectations" in other.inner_text()
    assert SELF_WORDS + MORE_WORDS in other.inner_text()
    overall.get_by_label("Exceeds").check()
    overall.locator("textarea").fill(MANAGER_WORDS)
    max_.get_by_text("Draft saved at").wait_for()
    with max_.expect_response(lambda response: response.request.method == "POST"):
        question(max_, POTENTIAL).get_by_label("Exceeds").check()
    max_.reload()
    overall = question(max_, OVERALL)
    assert "Gap +1" in overall.locator(".review-other").inner_text()
    gaps = max_.locator(".review-gaps").inner_text()
    assert "Overall gap (manager minus self)" in gaps
    max_.on("dialog", lambda dialog: dialog.accept())
    max_.get_by_role("button", name="Submit").click()
    max_.get_by_text("Review submitted.").wait_for()

    # The writing phases are over; release and acknowledgement open now.
    now = timezone.now()
    day = timedelta(days=1)
    with organization_scope(org.organization):
        moves = {
            PhaseKind.SELF: (now - 5 * day, now - 3 * day),
            PhaseKind.MANAGER: (now - 5 * day, now - 2 * day),
            PhaseKind.RELEASE: (now - day, now + 10 * day),
            PhaseKind.ACKNOWLEDGEMENT: (now - day, now + 20 * day),
        }
        for kind, (opens, closes) in moves.items():
            CyclePhase.objects.filter(cycle=cycle, kind=kind).update(
                opens_at=opens, closes_at=closes
            )

    # --- HR: the progress page, release.
    hr.get_by_role("link", name="Progress, late reviews and release").click()
    hr.get_by_role("heading", name="Progress of Annual journey").wait_for()
    hr.get_by_role("button", name="Release submitted reviews").click()
    hr.get_by_text("1 review released.").wait_for()
    with organization_scope(org.organization):
        participant.refresh_from_db()
        assert participant.released_at is not None

    # --- Rita: reads the released review (never the manager-only question), comments,
    # acknowledges.
    rita.goto(f"{base}/o/acme/reviews/mine/")
    step = rita.locator(".review-step", has_text="Annual journey")
    assert "Read your review and acknowledge it" in step.inner_text()
    step.get_by_role("link", name="Annual journey").click()
    rita.get_by_role("heading", name="Your review in Annual journey").wait_for()
    rita.get_by_role("heading", name="Manager review by Max Manager (acme)").wait_for()
    main = rita.locator("main").inner_text()
    assert MANAGER_WORDS in main
    assert SELF_WORDS + MORE_WORDS in main
    assert "Potential" not in main
    rita.get_by_label("Your comment").fill("Agreed: a team of my own next year.")
    rita.get_by_role("button", name="Save comment").click()
    rita.get_by_text("Your comment is saved.").wait_for()
    rita.get_by_role("button", name="Acknowledge").click()
    rita.get_by_text("You acknowledged your review.").wait_for()
    rita.get_by_text("Agreed: a team of my own next year.").wait_for()
    assert rita.get_by_role("button", name="Acknowledge").count() == 0
    with organization_scope(org.organization):
        participant.refresh_from_db()
        assert participant.acknowledged_at is not None
        assert participant.employee_comment == "Agreed: a team of my own next year."
    rita.goto(f"{base}/o/acme/reviews/mine/")
    assert "Acknowledged on" in rita.locator(".review-step", has_text="Annual journey").inner_text()


def test_an_autosave_never_submits_when_the_submit_button_has_focus(
    live_server, new_context, org: OrgPeople
) -> None:
    """htmx sends a form's request to the last focused button's formaction: an autosave
    pending while Rita tabs onto Submit (or cancels its confirmation) must save the draft,
    not submit the review unasked."""
    running_cycle(org, [org.report])
    with organization_scope(org.organization):
        review = Review.objects.get(author=org.report, kind="self")
    rita = signed_in_page(new_context, live_server.url, org.report, f"reviews/{review.pk}/")
    overall = question(rita, "How did the period go overall?")
    with rita.expect_response(lambda response: response.request.method == "POST") as saved:
        overall.locator("textarea").fill("Half a thought")
        rita.get_by_role("button", name="Submit").focus()
    assert saved.value.request.url.endswith(f"/reviews/{review.pk}/")
    rita.get_by_text("Draft saved at").wait_for()

    # Clicking Submit and cancelling its confirmation: the change saves, nothing submits.
    rita.on("dialog", lambda dialog: dialog.dismiss())
    overall.locator("textarea").fill("Half a thought, and another half")
    with rita.expect_response(lambda response: response.request.method == "POST") as saved:
        rita.get_by_role("button", name="Submit").click()
    assert saved.value.request.url.endswith(f"/reviews/{review.pk}/")
    with organization_scope(org.organization):
        review.refresh_from_db()
        assert review.status == ReviewStatus.DRAFT
        texts = set(ReviewAnswer.objects.filter(review=review).values_list("text", flat=True))
        assert "Half a thought, and another half" in texts
    assert rita.locator("#review-status").inner_text() != str(ReviewStatus.SUBMITTED.label)
