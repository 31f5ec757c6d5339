"""Home page items: a check-in due soon, feedback requests to answer, check-ins to review."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from feedback.whats_next import items_for_person
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople
from tests.feedback.factories import make_checkin, make_request

pytestmark = pytest.mark.django_db

THURSDAY = datetime(2026, 11, 19, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _everyone_joined_in_october(org: OrgPeople) -> None:
    """Nobody is asked for a period before they joined: these people joined in October."""
    joined = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
    with organization_scope(org.organization):
        Membership.objects.update(created_at=joined)
    for person in vars(org).values():
        if isinstance(person, Membership):
            person.created_at = joined


def titles(org: OrgPeople, person: Membership) -> list[str]:
    with organization_scope(org.organization):
        return [item.title for item in items_for_person(person)]


def test_a_check_in_due_tomorrow_is_on_the_home_page_until_submitted(
    org: OrgPeople, client_for: Callable[[Membership], Client]
) -> None:
    with time_machine.travel(datetime(2026, 11, 18, 9, 0, tzinfo=UTC)):
        assert titles(org, org.report) == []
    with time_machine.travel(THURSDAY):
        assert titles(org, org.report) == ["Your check-in is due on Friday 20 November"]
        home = client_for(org.report).get(reverse("web:home", args=[org.organization.slug]))
        assert b"Your check-in is due on Friday 20 November" in home.content
        make_checkin(org.report, now=THURSDAY, submit=True)
        assert titles(org, org.report) == []


def test_pending_requests_and_check_ins_to_review_are_listed(org: OrgPeople) -> None:
    with time_machine.travel(datetime(2026, 11, 16, 9, 0, tzinfo=UTC)):
        make_request(org.report, [org.colleague])
        make_checkin(org.report, now=THURSDAY, submit=True)
        assert titles(org, org.colleague) == ["1 request waits for your feedback"]
        assert titles(org, org.manager) == ["1 check-in waits for your review"]
