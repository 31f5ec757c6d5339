"""HR corrects an answer of a released review on a page: a reason, an audit entry, the
person told; nobody else may, and nothing changes without a reason."""

from __future__ import annotations

import pytest

from perfmgmt.audit.models import AuditEntry
from perfmgmt.notifications.models import Notification
from perfmgmt.tenancy.context import organization_scope
from reviews.models import ReviewAnswer, ReviewerKind
from reviews.services.release import participant_release
from tests.conftest import OrgPeople
from tests.reviews.release_helpers import questions, written_cycle

pytestmark = pytest.mark.django_db


def released_answer(org: OrgPeople) -> ReviewAnswer:
    with organization_scope(org.organization):
        participant = written_cycle(org, [org.report]).participants.get()
        participant_release(actor=org.hr, participant=participant)
        review = participant.reviews.get(kind=ReviewerKind.MANAGER)
        question = questions(participant)["How did the period go overall?"]
        return review.answers.get(question_id=question["id"])


def page(org: OrgPeople, answer: ReviewAnswer) -> str:
    return f"/o/{org.organization.slug}/reviews/answers/{answer.pk}/correct/"


def test_hr_corrects_a_released_answer_from_the_released_review(org, client_for) -> None:
    answer = released_answer(org)
    client = client_for(org.hr)
    released = client.get(
        f"/o/{org.organization.slug}/reviews/released/{answer.review.participant_id}/"
    ).content.decode()
    assert page(org, answer) in released
    form = client.get(page(org, answer))
    assert form.status_code == 200
    assert "How did the period go overall?" in form.content.decode()
    response = client.post(
        page(org, answer), {"rating": "3", "text": "Calibrated", "reason": "Calibration moved it"}
    )
    assert response.status_code == 302
    with organization_scope(org.organization):
        answer.refresh_from_db()
        assert answer.rating == 3
        assert AuditEntry.objects.get(action="review.answer_corrected").changes["reason"] == (
            "Calibration moved it"
        )
        assert Notification.objects.get(kind="review-corrected").recipient == org.report


def test_without_a_reason_nothing_changes_and_the_form_says_why(org, client_for) -> None:
    answer = released_answer(org)
    before = answer.rating
    response = client_for(org.hr).post(page(org, answer), {"rating": "3", "reason": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    with organization_scope(org.organization):
        answer.refresh_from_db()
        assert answer.rating == before


def test_only_hr_corrects_and_the_reviewee_sees_no_correct_link(org, client_for) -> None:
    answer = released_answer(org)
    assert client_for(org.manager).get(page(org, answer)).status_code == 403
    assert client_for(org.report).post(page(org, answer), {"reason": "x"}).status_code == 403
    released = client_for(org.report).get(
        f"/o/{org.organization.slug}/reviews/released/{answer.review.participant_id}/"
    )
    assert "/correct/" not in released.content.decode()
