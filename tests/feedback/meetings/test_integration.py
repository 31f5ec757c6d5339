"""1:1s with the rest of the product: goal and feedback links, coaching follow-ups, the team
page's check-in, feedback and goal columns, the visibility rule in both forms, and two
people adding points at the same moment."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback.meetings import policies, selectors, services
from feedback.meetings.models import OneOnOneSeries, TalkingPoint
from feedback.models import Feedback
from goals.models import Confidence, Goal
from perfmgmt.errors import DomainError
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople
from tests.feedback.factories import make_checkin_for_period, make_coaching_record, make_feedback
from tests.goals.factories import GoalFactory

from .factories import make_meeting, make_series

ClientFor = Callable[[Membership], Client]


@pytest.mark.django_db
def test_a_point_links_a_goal_or_feedback_the_author_may_read(org: OrgPeople, scope) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    goal: Goal = GoalFactory(organization=org.organization, owner_person=org.report)  # type: ignore[assignment]
    praise = make_feedback(org.manager, org.report)
    point = services.talking_point_add(
        actor=org.report,
        meeting=meeting,
        text="Progress and the praise",
        goal_id=goal.pk,
        feedback_id=praise.pk,
    )
    assert (point.goal_id, point.feedback_id) == (goal.pk, praise.pk)


@pytest.mark.django_db
def test_a_goal_or_feedback_the_author_cannot_read_is_an_unknown_field(
    org: OrgPeople, other_org: OrgPeople, scope
) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    private_goal: Goal = GoalFactory(  # type: ignore[assignment]
        organization=org.organization, owner_person=org.colleague, visibility="private"
    )
    manager_note = make_feedback(org.colleague, org.report2, visibility="manager_only")
    foreign: Goal = GoalFactory(organization=other_org.organization, owner_person=other_org.report)  # type: ignore[assignment]
    for kwargs, field in (
        ({"goal_id": private_goal.pk}, "goal"),
        ({"goal_id": foreign.pk}, "goal"),
        ({"feedback_id": manager_note.pk}, "feedback"),
    ):
        with pytest.raises(DomainError) as error:
            services.talking_point_add(actor=org.report, meeting=meeting, text="x", **kwargs)
        assert field in error.value.fields
    assert not TalkingPoint.objects.exists()


@pytest.mark.django_db
def test_a_coaching_follow_up_shows_in_the_next_one_on_one_only(
    org: OrgPeople, client_for: ClientFor
) -> None:
    series = make_series(org.manager, org.report, cadence="none")
    today = timezone.localdate()
    earlier = make_meeting(series, when=timezone.now() - timedelta(days=10))
    following = make_meeting(series, when=timezone.now() + timedelta(days=3))
    later = make_meeting(series, when=timezone.now() + timedelta(days=20))
    make_coaching_record(
        org.manager,
        org.report,
        held_on=today - timedelta(days=12),
        follow_up_on=today + timedelta(days=1),
        topic="Running design reviews",
    )
    client = client_for(org.report)

    def shows(meeting_id: int) -> bool:
        url = reverse("one_on_ones:meeting", args=[org.organization.slug, meeting_id])
        return b"Running design reviews" in client.get(url).content

    assert (shows(earlier.pk), shows(following.pk), shows(later.pk)) == (False, True, False)


@pytest.mark.django_db
def test_the_visibility_filter_and_the_policy_agree(org: OrgPeople, scope) -> None:
    make_series(org.manager, org.report)
    make_series(org.owner, org.report)
    make_series(org.colleague, org.hr)
    people = [org.owner, org.hr, org.manager, org.report, org.report2, org.colleague]
    for actor in people:
        listed = set(
            OneOnOneSeries.objects.filter(policies.visible_series_filter(actor)).values_list(
                "pk", flat=True
            )
        )
        for series in OneOnOneSeries.objects.all():
            assert (series.pk in listed) == policies.can_view_series(actor, series)


@pytest.mark.django_db
def test_the_team_page_shows_check_ins_feedback_and_goals_at_risk(
    org: OrgPeople, client_for: ClientFor
) -> None:
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday() + 7)
    make_checkin_for_period(org.report, monday)
    make_feedback(org.report, org.report2, visibility=Feedback.Visibility.RECIPIENT_AND_MANAGER)
    make_feedback(org.colleague, org.report, visibility=Feedback.Visibility.PRIVATE)
    GoalFactory(
        organization=org.organization,
        owner_person=org.report,
        title="Cut build time",
        last_confidence=Confidence.AT_RISK,
        last_update_at=timezone.now(),
    )
    response = client_for(org.manager).get(reverse("team:overview", args=["acme"]))
    row = response.content.decode().split(org.report.display_name, 1)[1].split("</tr>", 1)[0]
    cells = [cell.split(">", 1)[1].strip() for cell in row.split("<td")[1:]]
    assert "score 3/5" in cells[0]
    # Given 1; the private feedback received is not the manager's to count.
    assert cells[3].startswith("1")
    assert cells[4].startswith("0")
    assert "Cut build time" in cells[5]


@pytest.mark.django_db(transaction=True)
def test_two_people_adding_points_at_the_same_moment_both_keep_theirs(org: OrgPeople) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def add(member: Membership, text: str) -> None:
        try:
            with organization_scope(org.organization):
                barrier.wait(timeout=10)
                services.talking_point_add(actor=member, meeting=meeting, text=text)
        except BaseException as error:  # reported below, in the test thread
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=add, args=(org.report, "Report's point")),
        threading.Thread(target=add, args=(org.manager, "Manager's point")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert errors == []
    with organization_scope(org.organization):
        rows = list(TalkingPoint.objects.values_list("text", "position"))
        agenda = selectors.meeting_agenda(actor=org.report, meeting=meeting)
    assert sorted(text for text, _ in rows) == ["Manager's point", "Report's point"]
    assert sorted(position for _, position in rows) == [0, 1]
    assert len(agenda.points) == 2


@pytest.mark.django_db
def test_a_linked_item_opens_only_for_someone_who_may_read_it(
    org: OrgPeople, client_for: ClientFor
) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    note = make_feedback(org.manager, org.report, visibility=Feedback.Visibility.MANAGER_ONLY)
    with organization_scope(org.organization):
        services.talking_point_add(
            actor=org.manager, meeting=meeting, text="About my note", feedback_id=note.pk
        )
    url = reverse("one_on_ones:meeting", args=["acme", meeting.pk])
    link = f"/o/acme/feedback/{note.pk}/".encode()
    manager_page = client_for(org.manager).get(url).content
    report_page = client_for(org.report).get(url).content
    assert link in manager_page
    assert link not in report_page
    assert b"linked feedback you cannot open" in report_page
