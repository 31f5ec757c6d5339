"""Check-in, feedback, request and coaching objects for tests/test_isolation.py.

Each object is one the organization's owner (the caller the isolation test signs in as)
may see: a check-in and coaching record of someone below them, feedback they gave, a
request they made. So the own-organization control request finds it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db import models

from feedback.models import CheckIn, CoachingRecord, Feedback, FeedbackRequest
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory
from tests.feedback.factories import (
    make_checkin_for_period,
    make_coaching_record,
    make_feedback,
    make_request,
)


def _report_of_owner(people: OrgPeople):
    return MembershipFactory.create(organization=people.organization, manager=people.owner)


def make_isolation_checkin(people: OrgPeople) -> CheckIn:
    return make_checkin_for_period(_report_of_owner(people), date(2026, 11, 16))


def make_isolation_feedback(people: OrgPeople) -> Feedback:
    return make_feedback(people.owner, _report_of_owner(people), Feedback.Visibility.PRIVATE)


def make_isolation_request(people: OrgPeople) -> FeedbackRequest:
    return make_request(people.owner, [people.colleague])


def make_isolation_coaching_record(people: OrgPeople) -> CoachingRecord:
    return make_coaching_record(people.owner, _report_of_owner(people))


FEEDBACK_OBJECT_KWARGS: dict[str, type[models.Model]] = {
    "checkin_id": CheckIn,
    "feedback_id": Feedback,
    "feedback_request_id": FeedbackRequest,
    "coaching_record_id": CoachingRecord,
}

FEEDBACK_MAKERS: dict[type[models.Model], Callable[[OrgPeople], models.Model]] = {
    CheckIn: make_isolation_checkin,
    Feedback: make_isolation_feedback,
    FeedbackRequest: make_isolation_request,
    CoachingRecord: make_isolation_coaching_record,
}
