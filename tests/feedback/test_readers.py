"""Who can read a feedback, as the form says before writing and the page says after.

Each reader is named once: a manager giving feedback to their own report is the giver, not
also one of the managers who read it ("Who can read it: Max, Rita, Max, Olivia"). After it
is written, only those who can read it are named: someone who became a manager later
cannot (see feedback/policies.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from feedback import policies
from feedback.models import Feedback
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople
from tests.feedback.factories import make_feedback

pytestmark = pytest.mark.django_db

ClientFor = Callable[[Membership], Client]
SHARED = Feedback.Visibility.RECIPIENT_AND_MANAGER


def page(org: OrgPeople, name: str, **kwargs: int) -> str:
    return reverse(f"feedback:{name}", kwargs={"org_slug": org.organization.slug, **kwargs})


def who_can_read(html: str) -> list[str]:
    found = re.search(r"Who can read it: ([^<]*)\.</p>", html)
    assert found, "no readers line"
    return found[1].split(", ")


def test_a_manager_giving_feedback_to_their_report_is_named_once(
    org: OrgPeople, client_for: ClientFor
) -> None:
    feedback = make_feedback(org.manager, org.report, visibility=SHARED)
    for reader in (org.manager, org.report, org.owner):
        html = client_for(reader).get(page(org, "feedback_detail", feedback_id=feedback.pk))
        assert who_can_read(html.content.decode()) == [
            org.manager.display_name,
            org.report.display_name,
            org.owner.display_name,
        ]


def test_the_preview_before_writing_names_each_reader_once_and_not_the_writer(
    org: OrgPeople, client_for: ClientFor
) -> None:
    response = client_for(org.manager).get(
        page(org, "feedback_audience") + f"?recipient={org.report.pk}&visibility={SHARED}"
    )
    text = response.content.decode()
    assert f"you and {org.report.display_name}, {org.owner.display_name}." in text
    assert text.count(org.manager.display_name) == 0


def test_a_manager_note_by_the_manager_is_read_by_the_managers_above_only(
    org: OrgPeople, client_for: ClientFor
) -> None:
    note = make_feedback(org.manager, org.report, visibility=Feedback.Visibility.MANAGER_ONLY)
    html = client_for(org.manager).get(page(org, "feedback_detail", feedback_id=note.pk))
    assert who_can_read(html.content.decode()) == [
        org.manager.display_name,
        org.owner.display_name,
    ]


def test_someone_who_became_a_manager_afterwards_is_not_named_as_a_reader(
    org: OrgPeople, client_for: ClientFor
) -> None:
    with time_machine.travel(datetime(2026, 11, 2, 9, 0, tzinfo=UTC)):
        feedback = make_feedback(org.colleague, org.report, visibility=SHARED)
    with organization_scope(org.organization):
        Membership.objects.filter(pk=org.report.pk).update(
            manager=org.hr, manager_since=datetime(2026, 11, 9, tzinfo=UTC)
        )
        hr = Membership.objects.get(pk=org.hr.pk)
        assert not policies.can_view_feedback(hr, feedback)
    html = client_for(org.colleague).get(page(org, "feedback_detail", feedback_id=feedback.pk))
    assert who_can_read(html.content.decode()) == [
        org.colleague.display_name,
        org.report.display_name,
    ]
