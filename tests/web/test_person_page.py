"""The person page is a hub: each app's section shows what the reader may see about the
person there, bounded, in a fixed number of queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.models import Visibility
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from perfmgmt.web import person_page
from tests.conftest import OrgPeople
from tests.feedback.factories import make_checkin, make_feedback
from tests.goals.development.factories import make_plan
from tests.goals.factories import GoalFactory

pytestmark = pytest.mark.django_db


def profile(client_for, reader: Membership, person: Membership) -> str:
    url = reverse(
        "people:profile", kwargs={"org_slug": person.organization.slug, "member_id": person.pk}
    )
    response = client_for(reader).get(url)
    assert response.status_code == 200
    return response.content.decode()


def goal(org: OrgPeople, title: str, visibility: str = Visibility.TEAM_AND_MANAGERS) -> None:
    with organization_scope(org.organization):
        GoalFactory.create(
            organization=org.organization,
            owner_person=org.report,
            title=title,
            visibility=visibility,
        )


def test_the_manager_sees_the_reports_goals_check_ins_feedback_and_plan(org, client_for) -> None:
    goal(org, "Cut the build time in half")
    make_checkin(org.report, submit=True)
    make_feedback(org.colleague, org.report, situation="At the demo")
    make_plan(org)
    text = profile(client_for, org.manager, org.report)
    for heading in ("Goals", "Check-ins", "Feedback received", "Development plans"):
        assert f">{heading}</h2>" in text
    assert "Cut the build time in half" in text
    assert f"From {org.colleague.display_name}" in text
    assert "Plan 2026" in text
    assert "No check-ins you can read." not in text


def test_a_colleague_sees_only_what_they_could_open_elsewhere(org, client_for) -> None:
    goal(org, "Private ambition", visibility=Visibility.OWNER_AND_MANAGERS)
    goal(org, "Open to everyone", visibility=Visibility.EVERYONE)
    make_checkin(org.report, submit=True)
    make_plan(org)
    text = profile(client_for, org.colleague, org.report)
    assert "Open to everyone" in text
    assert "Private ambition" not in text
    assert "No check-ins you can read." in text
    assert "Plan 2026" not in text


def test_a_draft_check_in_stays_its_authors(org, client_for) -> None:
    make_checkin(org.report, submit=False)
    assert "No check-ins you can read." in profile(client_for, org.manager, org.report)
    assert "No check-ins you can read." not in profile(client_for, org.report, org.report)


def test_sections_are_bounded_and_their_queries_do_not_grow_with_rows(org, client_for) -> None:
    url = reverse(
        "people:profile", kwargs={"org_slug": org.organization.slug, "member_id": org.report.pk}
    )
    client = client_for(org.manager)
    counts, made = [], 0
    for total in (5, 50):
        for index in range(made, total):
            goal(org, f"Goal {index}")
            make_feedback(org.colleague, org.report, situation=f"Moment {index}")
        made = total
        client.get(url)  # the session's first request does more
        with CaptureQueriesContext(connection) as queries:
            text = client.get(url).content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert len(re.findall(r'href="/o/acme/goals/\d+/"', text)) == person_page.SECTION_ROWS
    assert len(re.findall(r'href="/o/acme/feedback/\d+/"', text)) == person_page.SECTION_ROWS
    assert "50 in all." in text


def test_an_app_adds_a_section_without_touching_the_foundation(org, client_for) -> None:
    def stub(reader: Membership, person: Membership) -> person_page.Section:
        return person_page.Section(key="stub", title="Stub reviews", empty="Nothing yet.")

    with person_page.restored_after():
        person_page.register(stub)
        assert ">Stub reviews</h2>" in profile(client_for, org.manager, org.report)
    assert "Stub reviews" not in profile(client_for, org.manager, org.report)
