"""Demo check-ins, feedback, a feedback request and a coaching record for `seed_demo`.

In the demo organization: HR has set a weekly cadence (due Friday); Emil (employee) has
two earlier check-ins, reviewed by Marta (manager); Lena's check-in of last week waits for
Marta's review; Lena gave Emil feedback; Emil asked Lena and Priya for feedback about his
demo; Marta wrote down a coaching conversation with Emil whose follow-up falls before
their next 1:1.

Idempotent: check-ins are found again by period, the rest by their people and text.
Written through the services, inside the organization's scope (seed_demo opens it).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from perfmgmt.tenancy.demo import DemoData, demo_loader
from perfmgmt.tenancy.models import Membership, Organization

from . import selectors, services
from .models import (
    DEFAULT_QUESTIONS,
    CoachingRecord,
    Feedback,
    FeedbackRequest,
    Frequency,
    Weekday,
)

V = Feedback.Visibility
DEMO_PROMPT = "How did my importer demo on Thursday land with you? What should I change?"
DEMO_SITUATION = "In Tuesday's code review of the importer"


def _cadence(people: dict[str, Membership]) -> None:
    """HR has set the organization's weekly cadence with the default questions."""
    hr = people.get("hr")
    if hr is None or selectors.cadence_get(team_id=None) is not None:
        return
    services.cadence_save(
        actor=hr,
        frequency=Frequency.WEEKLY,
        due_weekday=Weekday.FRIDAY,
        questions=DEFAULT_QUESTIONS,
        remind_again_after_days=2,
    )


def _checkins(people: dict[str, Membership]) -> None:
    employee, manager, lena = people["employee"], people["manager"], people.get("lena")
    now = timezone.now()
    for weeks_ago, score, went_well in (
        (2, 3, "Finished the CSV parser"),
        (1, 4, "Demoed the importer"),
    ):
        checkin = services.checkin_current(actor=employee, now=now - timedelta(weeks=weeks_ago))
        if checkin.status == checkin.Status.DRAFT:
            answers = [went_well, "Error reporting for bad rows", ""][: len(checkin.questions)]
            answers += [""] * (len(checkin.questions) - len(answers))
            checkin = services.checkin_submit(
                actor=employee, checkin=checkin, answers=answers, score=score
            )
        if checkin.status == checkin.Status.SUBMITTED:
            services.checkin_review(
                actor=manager,
                checkin=checkin,
                reply="Thanks, good progress. Let's talk blockers on Monday.",
            )
    if lena is not None:
        checkin = services.checkin_current(actor=lena, now=now - timedelta(weeks=1))
        if checkin.status == checkin.Status.DRAFT:
            answers = ["Paired with Priya on the search page"] + [""] * (len(checkin.questions) - 1)
            services.checkin_submit(actor=lena, checkin=checkin, answers=answers, score=4)


def _feedback(people: dict[str, Membership]) -> None:
    employee, lena, priya = people["employee"], people.get("lena"), people.get("priya")
    if lena is None or priya is None:
        return
    if not Feedback.objects.filter(
        giver=lena, recipient=employee, situation=DEMO_SITUATION
    ).exists():
        services.feedback_give(
            actor=lena,
            recipient=employee,
            visibility=V.RECIPIENT_AND_MANAGER,
            situation=DEMO_SITUATION,
            behaviour="you explained why each validation exists before changing it",
            impact="the review took twenty minutes instead of an afternoon",
        )
    if not FeedbackRequest.objects.filter(requester=employee, prompt=DEMO_PROMPT).exists():
        services.feedback_request_create(
            actor=employee,
            subject=employee,
            people=[lena, priya],
            prompt=DEMO_PROMPT,
            due_on=timezone.localdate() + timedelta(days=5),
        )


def _coaching(people: dict[str, Membership]) -> None:
    employee, manager = people["employee"], people["manager"]
    topic = "Estimating the importer work"
    if CoachingRecord.objects.filter(manager=manager, person=employee, topic=topic).exists():
        return
    today = timezone.localdate()
    services.coaching_record_create(
        actor=manager,
        person=employee,
        held_on=today - timedelta(days=7),
        topic=topic,
        observations="Estimates were about half the real time; unknowns were not listed.",
        agreed="Split work into pieces of at most two days and list the unknowns first.",
        follow_up_on=today + timedelta(days=1),
    )


def seed_feedback(*, organization: Organization, people: dict[str, Membership]) -> None:
    """Run inside the organization's scope (seed_demo does). Organizations without the
    demo's employee and manager get nothing."""
    if "employee" not in people or "manager" not in people:
        return
    _cadence(people)
    _checkins(people)
    _feedback(people)
    _coaching(people)


@demo_loader(order=30)
def load_feedback(demo: DemoData) -> None:
    seed_feedback(organization=demo.organization, people=demo.people)
