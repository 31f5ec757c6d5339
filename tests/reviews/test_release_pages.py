"""The released review page: the reviewee reads what they may, comments and acknowledges."""

from __future__ import annotations

import pytest
from django.urls import reverse

from perfmgmt.tenancy.context import organization_scope
from reviews.services.release import participant_release
from tests.conftest import OrgPeople
from tests.reviews.release_helpers import written_cycle

pytestmark = pytest.mark.django_db


def page_url(org: OrgPeople, participant) -> str:
    return reverse("reviews:released", args=[org.organization.slug, participant.pk])


def test_the_reviewee_reads_the_manager_review_only_once_released_and_never_manager_only_questions(
    org: OrgPeople, client_for
) -> None:
    cycle = written_cycle(org, [org.report])
    with organization_scope(org.organization):
        participant = cycle.participants.get()
    client = client_for(org.report)
    before = client.get(page_url(org, participant)).content.decode()
    assert "self plans" in before
    assert "manager plans" not in before
    with organization_scope(org.organization):
        participant_release(actor=org.hr, participant=participant)
    after = client.get(page_url(org, participant)).content.decode()
    assert "manager plans" in after
    assert "Meets expectations" not in after
    assert "Exceeds (4)" in after
    assert "Potential" not in after
    manager_view = client_for(org.manager).get(page_url(org, participant)).content.decode()
    assert "Potential" in manager_view


def test_the_reviewee_comments_then_acknowledges(org: OrgPeople, client_for) -> None:
    cycle = written_cycle(org, [org.report])
    with organization_scope(org.organization):
        participant = cycle.participants.get()
        participant_release(actor=org.hr, participant=participant)
    client = client_for(org.report)
    response = client.post(page_url(org, participant), {"text": "Let us plan a course."})
    assert response.status_code == 302
    ack = reverse("reviews:release_acknowledge", args=[org.organization.slug, participant.pk])
    assert client.post(ack).status_code == 302
    with organization_scope(org.organization):
        participant.refresh_from_db()
    assert participant.employee_comment == "Let us plan a course."
    assert participant.acknowledged_at is not None
    page = client.get(page_url(org, participant)).content.decode()
    assert "Let us plan a course." in page
    assert "Save comment" not in page


def test_a_too_long_comment_is_a_form_error_not_a_500(org: OrgPeople, client_for) -> None:
    cycle = written_cycle(org, [org.report])
    with organization_scope(org.organization):
        participant = cycle.participants.get()
        participant_release(actor=org.hr, participant=participant)
    response = client_for(org.report).post(page_url(org, participant), {"text": "x" * 6000})
    assert response.status_code == 400


def test_a_colleague_gets_404_for_someone_elses_review(org: OrgPeople, client_for) -> None:
    cycle = written_cycle(org, [org.report])
    with organization_scope(org.organization):
        participant = cycle.participants.get()
    assert client_for(org.colleague).get(page_url(org, participant)).status_code == 404


def test_hr_releases_from_the_page(org: OrgPeople, client_for) -> None:
    cycle = written_cycle(org, [org.report])
    with organization_scope(org.organization):
        participant = cycle.participants.get()
    url = reverse("reviews:participant_release", args=[org.organization.slug, participant.pk])
    assert client_for(org.manager).post(url).status_code == 403
    assert client_for(org.hr).post(url).status_code == 302
    with organization_scope(org.organization):
        participant.refresh_from_db()
    assert participant.released_at is not None
