"""Helpers that build check-ins, feedback, requests and coaching records through the services,
inside the organization's scope (the way people create them)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.utils import timezone

from feedback import services
from feedback.models import CheckIn, CoachingRecord, Feedback, FeedbackRequest
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership


def make_checkin(
    person: Membership,
    *,
    now: datetime | None = None,
    submit: bool = False,
    score: int = 4,
    answers: Sequence[str] | None = None,
) -> CheckIn:
    with organization_scope(person.organization):
        checkin = services.checkin_current(actor=person, now=now)
        if submit:
            filled = (
                list(answers)
                if answers is not None
                else ["Shipped it"] + [""] * (len(checkin.questions) - 1)
            )
            checkin = services.checkin_submit(
                actor=person, checkin=checkin, answers=filled, score=score
            )
        return checkin


def make_checkin_for_period(person: Membership, start: date, *, submit: bool = True) -> CheckIn:
    """A check-in of a past period, made directly (periods before 'now')."""
    with organization_scope(person.organization):
        return CheckIn.objects.create(
            person=person,
            period_start=start,
            period_end=start + timedelta(days=6),
            due_on=start + timedelta(days=4),
            answers=["Done", "", ""],
            score=3,
            status=CheckIn.Status.SUBMITTED if submit else CheckIn.Status.DRAFT,
            submitted_at=timezone.now() if submit else None,
        )


def make_feedback(
    giver: Membership,
    recipient: Membership,
    visibility: str = Feedback.Visibility.RECIPIENT_AND_MANAGER,
    situation: str = "In the planning meeting",
) -> Feedback:
    with organization_scope(giver.organization):
        return services.feedback_give(
            actor=giver,
            recipient=recipient,
            visibility=visibility,
            situation=situation,
            behaviour="you summarised the options",
            impact="we decided in ten minutes",
        )


def make_request(
    requester: Membership,
    people: Sequence[Membership],
    subject: Membership | None = None,
    due_in_days: int = 7,
) -> FeedbackRequest:
    with organization_scope(requester.organization):
        return services.feedback_request_create(
            actor=requester,
            subject=subject or requester,
            people=list(people),
            prompt="How did the launch go from your side?",
            due_on=timezone.localdate() + timedelta(days=due_in_days),
        )


def make_coaching_record(
    manager: Membership,
    person: Membership,
    held_on: date | None = None,
    follow_up_on: date | None = None,
    topic: str = "Running design reviews",
) -> CoachingRecord:
    with organization_scope(manager.organization):
        return services.coaching_record_create(
            actor=manager,
            person=person,
            held_on=held_on or timezone.localdate(),
            topic=topic,
            observations="Lets others finish",
            agreed="Lead the next review",
            follow_up_on=follow_up_on,
        )
