"""Check-in, feedback, request and coaching pages over HTTP (Django test client)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.models import CheckIn, CheckInCadence, CoachingRecord, Feedback, FeedbackAsk
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople
from tests.feedback.factories import (
    make_checkin,
    make_checkin_for_period,
    make_coaching_record,
    make_feedback,
    make_request,
)

pytestmark = pytest.mark.django_db

ClientFor = Callable[[Membership], Client]
V = Feedback.Visibility


def page(org: OrgPeople, name: str, **kwargs: object) -> str:
    return reverse(f"feedback:{name}", kwargs={"org_slug": org.organization.slug, **kwargs})


def count_queries(client: Client, url: str) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content


def assert_same_queries(client: Client, url: str, add: Callable[[int], None]) -> None:
    client.get(url)  # the first visit may start this period's check-in
    add(5)
    at_five, _ = count_queries(client, url)
    add(45)
    at_fifty, _ = count_queries(client, url)
    assert at_fifty == at_five


# Check-ins -----------------------------------------------------------------------------


def test_my_check_in_page_shows_the_questions_and_saves_a_draft(
    org: OrgPeople, client_for: ClientFor
) -> None:
    client = client_for(org.report)
    response = client.get(page(org, "checkin_mine"))
    assert response.status_code == 200
    assert b"What went well?" in response.content
    assert b"Submit to my manager" in response.content
    saved = client.post(
        page(org, "checkin_mine"), {"answer_0": "Shipped", "score": "4", "action": "save"}
    )
    assert saved.status_code == 302
    with organization_scope(org.organization):
        checkin = CheckIn.objects.get(person=org.report)
    assert checkin.answers == ["Shipped", "", ""]
    assert checkin.status == "draft"


def test_submitting_without_a_score_shows_the_form_again_with_what_was_typed(
    org: OrgPeople, client_for: ClientFor
) -> None:
    response = client_for(org.report).post(
        page(org, "checkin_mine"),
        {"answer_0": "A long answer I do not want to lose", "action": "submit"},
    )
    assert response.status_code == 400
    assert b"A long answer I do not want to lose" in response.content
    assert b"Choose how this period felt" in response.content
    with organization_scope(org.organization):
        assert CheckIn.objects.get(person=org.report).status == "draft"


def test_submitting_sends_it_to_the_manager_who_reviews_it_from_the_waiting_list(
    org: OrgPeople, client_for: ClientFor
) -> None:
    client_for(org.report).post(
        page(org, "checkin_mine"), {"answer_0": "Shipped", "score": "5", "action": "submit"}
    )
    manager = client_for(org.manager)
    waiting = manager.get(page(org, "checkin_reviews"))
    assert org.report.display_name.encode() in waiting.content
    with organization_scope(org.organization):
        checkin = CheckIn.objects.get(person=org.report)
    assert checkin.status == "submitted"
    reviewed = manager.post(page(org, "checkin_detail", checkin_id=checkin.pk), {"reply": "Great"})
    assert reviewed.status_code == 302
    with organization_scope(org.organization):
        checkin.refresh_from_db()
    assert checkin.status == "reviewed"
    assert checkin.manager_reply == "Great"
    assert b"Nothing is waiting" in manager.get(page(org, "checkin_reviews")).content


def test_someone_outside_the_chain_gets_404_for_a_check_in_page(
    org: OrgPeople, client_for: ClientFor
) -> None:
    checkin = make_checkin(org.report, submit=True)
    for outsider in (org.colleague, org.hr):
        client = client_for(outsider)
        assert client.get(page(org, "checkin_detail", checkin_id=checkin.pk)).status_code == 404
        response = client.post(page(org, "checkin_detail", checkin_id=checkin.pk), {"reply": "x"})
        assert response.status_code == 404


def test_the_report_cannot_review_their_own_check_in(org: OrgPeople, client_for: ClientFor) -> None:
    checkin = make_checkin(org.report, submit=True)
    response = client_for(org.report).post(
        page(org, "checkin_detail", checkin_id=checkin.pk), {"reply": "self"}
    )
    assert response.status_code == 403


def test_check_in_lists_take_the_same_queries_for_5_and_50(
    org: OrgPeople, client_for: ClientFor
) -> None:
    made = [0]

    def add(count: int) -> None:
        for _ in range(count):
            make_checkin_for_period(org.report, date(2020, 1, 6) + timedelta(weeks=made[0]))
            made[0] += 1

    assert_same_queries(client_for(org.report), page(org, "checkin_mine"), add)
    assert_same_queries(client_for(org.manager), page(org, "checkin_reviews"), add)


def test_hr_sets_the_cadence_and_a_bad_one_comes_back_filled_in(
    org: OrgPeople, client_for: ClientFor
) -> None:
    assert client_for(org.manager).get(page(org, "checkin_settings")).status_code == 403
    client = client_for(org.hr)
    assert client.get(page(org, "checkin_settings")).status_code == 200
    bad = client.post(
        page(org, "checkin_settings"),
        {
            "frequency": "monthly",
            "due_weekday": "2",
            "questions": "   ",
            "remind_again_after_days": "3",
        },
    )
    assert bad.status_code == 400
    assert b'value="3"' in bad.content
    good = client.post(
        page(org, "checkin_settings"),
        {
            "frequency": "monthly",
            "due_weekday": "2",
            "questions": "What did you learn?\nWhat is blocking you?",
            "remind_again_after_days": "3",
        },
    )
    assert good.status_code == 302
    with organization_scope(org.organization):
        cadence = CheckInCadence.objects.get(team=None)
    assert cadence.questions == ["What did you learn?", "What is blocking you?"]
    assert cadence.frequency == "monthly"


# Feedback ------------------------------------------------------------------------------


def test_the_give_form_says_who_will_be_able_to_read_it(
    org: OrgPeople, client_for: ClientFor
) -> None:
    client = client_for(org.colleague)
    response = client.get(
        page(org, "feedback_audience")
        + f"?recipient={org.report.pk}&visibility=recipient_and_manager"
    )
    text = response.content.decode()
    assert org.report.display_name in text
    assert org.manager.display_name in text
    assert org.owner.display_name in text
    assert org.hr.display_name not in text
    private = client.get(
        page(org, "feedback_audience") + f"?recipient={org.report.pk}&visibility=private"
    ).content.decode()
    assert org.manager.display_name not in private


def test_giving_feedback_without_any_text_keeps_the_choices_made(
    org: OrgPeople, client_for: ClientFor
) -> None:
    response = client_for(org.colleague).post(
        page(org, "feedback_give"), {"recipient": org.report.pk, "visibility": "manager_only"}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "at least one" in content
    assert re.search(rf'name="recipient" value="{org.report.pk}"[^>]* checked>', content)
    assert 'value="manager_only" id="id_visibility_2" checked' in content or (
        'value="manager_only"' in content and "checked" in content
    )
    with organization_scope(org.organization):
        assert not Feedback.objects.exists()


def test_given_feedback_is_read_by_the_recipient_and_not_by_hr(
    org: OrgPeople, client_for: ClientFor
) -> None:
    response = client_for(org.colleague).post(
        page(org, "feedback_give"),
        {"recipient": org.report.pk, "visibility": "private", "impact": "We shipped early"},
    )
    assert response.status_code == 302
    with organization_scope(org.organization):
        feedback = Feedback.objects.get()
    detail = page(org, "feedback_detail", feedback_id=feedback.pk)
    assert b"We shipped early" in client_for(org.report).get(detail).content
    assert b"We shipped early" in client_for(org.report).get(page(org, "feedback_received")).content
    assert client_for(org.hr).get(detail).status_code == 404
    assert client_for(org.manager).get(detail).status_code == 404


def test_a_manager_sees_shared_feedback_about_the_team(
    org: OrgPeople, client_for: ClientFor
) -> None:
    make_feedback(org.colleague, org.report, V.RECIPIENT_AND_MANAGER, situation="Shared one")
    make_feedback(org.colleague, org.report, V.PRIVATE, situation="Private one")
    content = client_for(org.manager).get(page(org, "feedback_team")).content
    assert b"Shared one" in content
    assert b"Private one" not in content


def test_feedback_lists_take_the_same_queries_for_5_and_50(
    org: OrgPeople, client_for: ClientFor
) -> None:
    def add(count: int) -> None:
        for index in range(count):
            make_feedback(org.colleague if index % 2 else org.report2, org.report)

    assert_same_queries(client_for(org.report), page(org, "feedback_received"), add)
    assert_same_queries(client_for(org.manager), page(org, "feedback_team"), add)
    assert_same_queries(client_for(org.colleague), page(org, "feedback_given"), add)


def test_a_manager_reading_manager_notes_takes_the_same_queries_for_5_and_50(
    org: OrgPeople, client_for: ClientFor
) -> None:
    """The page is audited with one entry whatever it shows (security issue 8)."""

    def add(count: int) -> None:
        for _ in range(count):
            make_feedback(org.colleague, org.report, V.MANAGER_ONLY)

    assert_same_queries(client_for(org.manager), page(org, "feedback_team"), add)


# Feedback requests ---------------------------------------------------------------------


def test_asking_for_feedback_and_answering_it_in_the_browser(
    org: OrgPeople, client_for: ClientFor
) -> None:
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    created = client_for(org.report).post(
        page(org, "request_new"),
        {
            "subject": org.report.pk,
            "people": [org.colleague.pk],
            "prompt": "How was my demo?",
            "due_on": due,
        },
    )
    assert created.status_code == 302
    with organization_scope(org.organization):
        ask = FeedbackAsk.objects.get()
    detail = page(org, "request_detail", feedback_request_id=ask.request_id)
    colleague = client_for(org.colleague)
    assert b"How was my demo?" in colleague.get(detail).content
    answered = colleague.post(detail, {"impact": "Crisp", "visibility": "private"})
    assert answered.status_code == 302
    with organization_scope(org.organization):
        ask.refresh_from_db()
    assert ask.status == "answered"
    assert client_for(org.manager).get(detail).status_code == 404


def test_a_request_form_with_errors_keeps_the_prompt(org: OrgPeople, client_for: ClientFor) -> None:
    response = client_for(org.report).post(
        page(org, "request_new"),
        {"subject": org.report.pk, "prompt": "Keep this text", "due_on": "2020-01-01"},
    )
    assert response.status_code == 400
    assert b"Keep this text" in response.content


def test_declining_a_request_in_the_browser(org: OrgPeople, client_for: ClientFor) -> None:
    request = make_request(org.report, [org.colleague])
    response = client_for(org.colleague).post(
        page(org, "request_decline", feedback_request_id=request.pk), {"reason": "Too busy"}
    )
    assert response.status_code == 302
    with organization_scope(org.organization):
        ask = FeedbackAsk.objects.get()
    assert (ask.status, ask.decline_reason) == ("declined", "Too busy")
    assert (
        b"Too busy"
        in client_for(org.report)
        .get(page(org, "request_detail", feedback_request_id=request.pk))
        .content
    )


def test_the_request_list_takes_the_same_queries_for_5_and_50(
    org: OrgPeople, client_for: ClientFor
) -> None:
    def add(count: int) -> None:
        for _ in range(count):
            make_request(org.report, [org.colleague, org.report2])

    assert_same_queries(client_for(org.report), page(org, "request_list") + "?role=made", add)
    assert_same_queries(client_for(org.colleague), page(org, "request_list"), add)


# Coaching records ----------------------------------------------------------------------


def test_a_manager_records_coaching_that_the_employee_reads(
    org: OrgPeople, client_for: ClientFor
) -> None:
    url = page(org, "coaching_person", member_id=org.report.pk)
    today = timezone.localdate().isoformat()
    bad = client_for(org.manager).post(url, {"held_on": today, "topic": ""})
    assert bad.status_code == 400
    saved = client_for(org.manager).post(
        url, {"held_on": today, "topic": "Feedback in reviews", "agreed": "Try SBI"}
    )
    assert saved.status_code == 302
    assert b"Feedback in reviews" in client_for(org.report).get(url).content
    assert client_for(org.colleague).get(url).status_code == 404
    assert client_for(org.hr).get(url).status_code == 404
    assert client_for(org.report).post(url, {"held_on": today, "topic": "x"}).status_code == 403
    with organization_scope(org.organization):
        assert CoachingRecord.objects.count() == 1


def test_the_coaching_list_takes_the_same_queries_for_5_and_50(
    org: OrgPeople, client_for: ClientFor
) -> None:
    def add(count: int) -> None:
        for _ in range(count):
            make_coaching_record(org.manager, org.report)

    url = page(org, "coaching_person", member_id=org.report.pk)
    assert_same_queries(client_for(org.manager), url, add)


def test_a_skip_level_reading_coaching_records_takes_the_same_queries_for_5_and_50(
    org: OrgPeople, client_for: ClientFor
) -> None:
    def add(count: int) -> None:
        for _ in range(count):
            make_coaching_record(org.manager, org.report)

    url = page(org, "coaching_person", member_id=org.report.pk)
    assert_same_queries(client_for(org.owner), url, add)


def test_the_check_in_page_links_the_goals_updated_in_the_period(
    org: OrgPeople, client_for: ClientFor
) -> None:
    from goals.models import Goal, GoalUpdate

    with organization_scope(org.organization):
        goal = Goal.objects.create(
            owner_kind="person",
            owner_person=org.report,
            title="Ship the importer",
            goal_type="qualitative",
            status="active",
        )
        GoalUpdate.objects.create(goal=goal, author=org.report, confidence="on_track")
    checkin = make_checkin(org.report, submit=True)
    content = client_for(org.manager).get(page(org, "checkin_detail", checkin_id=checkin.pk))
    assert b"Ship the importer" in content.content
    assert f"/goals/{goal.pk}/".encode() in content.content


def test_hr_gives_a_team_its_own_cadence_and_takes_it_back(
    org: OrgPeople, other_org: OrgPeople, client_for: ClientFor
) -> None:
    team_id = org.report.team_id
    assert team_id is not None
    client = client_for(org.hr)
    assert client.get(page(org, "checkin_settings") + f"?team={team_id}").status_code == 200
    saved = client.post(
        page(org, "checkin_settings"),
        {
            "team": team_id,
            "frequency": "biweekly",
            "due_weekday": "3",
            "questions": "What shipped?",
            "remind_again_after_days": "2",
        },
    )
    assert saved.status_code == 302
    with organization_scope(org.organization):
        assert CheckInCadence.objects.get(team_id=team_id).frequency == "biweekly"
        assert not CheckInCadence.objects.filter(team=None).exists()
    reset = client.post(page(org, "checkin_settings"), {"team": team_id, "action": "reset"})
    assert reset.status_code == 302
    with organization_scope(org.organization):
        assert not CheckInCadence.objects.exists()
    other_team = client.get(page(org, "checkin_settings") + f"?team={other_org.report.team_id}")
    assert other_team.status_code == 404


def test_opening_my_check_in_page_does_not_start_a_check_in(
    org: OrgPeople, client_for: ClientFor
) -> None:
    assert client_for(org.report).get(page(org, "checkin_mine")).status_code == 200
    with organization_scope(org.organization):
        assert not CheckIn.objects.filter(person=org.report).exists()
