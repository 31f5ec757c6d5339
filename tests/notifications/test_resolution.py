"""A notification whose action was done elsewhere says so and leaves the unread count.

The app that owns the subject resolves the notifications about it in the service that did
the action: agreeing a plan, agreeing a goal, posting a goal update, answering or declining
a feedback request, submitting a check-in, ticking off an action item.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.test import Client

from feedback import services as feedback_services
from feedback.meetings import services as meeting_services
from goals import services as goal_services
from goals.development import services as plan_services
from perfmgmt.notifications.models import Notification
from perfmgmt.notifications.selectors import notification_unread_count
from perfmgmt.notifications.services import email_send, notify
from perfmgmt.notifications.sweep import run_sweep
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople
from tests.feedback.factories import make_checkin, make_request
from tests.goals.development.factories import make_plan
from tests.goals.factories import create_goal, post_update

pytestmark = pytest.mark.django_db

INBOX = "/o/acme/notifications/"


def notifications(org: OrgPeople, person: Membership, kind: str) -> list[Notification]:
    with organization_scope(org.organization):
        return list(Notification.objects.filter(recipient=person, kind=kind).order_by("pk"))


def unread(org: OrgPeople, person: Membership) -> int:
    with organization_scope(org.organization):
        return notification_unread_count(actor=person)


def submitted_plan(org: OrgPeople):
    plan = make_plan(org)
    with organization_scope(org.organization):
        return plan_services.plan_submit(actor=org.report, plan=plan)


def test_a_plan_agreed_by_someone_else_resolves_the_managers_ask(org: OrgPeople) -> None:
    plan = submitted_plan(org)
    [ask] = notifications(org, org.manager, "development-plan-submitted")
    assert getattr(ask, "subject", None) == f"development.developmentplan:{plan.pk}"
    assert unread(org, org.manager) == 1

    with organization_scope(org.organization):
        plan_services.plan_agree(actor=org.owner, plan=plan)

    [ask] = notifications(org, org.manager, "development-plan-submitted")
    assert ask.resolved_at is not None
    assert ask.resolved_by == org.owner
    assert ask.read_at is None
    assert unread(org, org.manager) == 0


def test_the_inbox_says_it_is_done_and_by_whom_and_the_badge_leaves_it_out(
    org: OrgPeople, client_for
) -> None:
    plan = submitted_plan(org)
    with organization_scope(org.organization):
        plan_services.plan_agree(actor=org.owner, plan=plan)
    client: Client = client_for(org.manager)

    html = client.get(INBOX).content.decode()
    assert "No unread notifications" in html
    assert f"Already done by {org.owner.display_name}." in html
    assert "Mark as read" not in html
    assert ">Unread<" not in html
    assert "badge-count" not in client.get(f"{INBOX}badge/").content.decode()
    home = client.get("/o/acme/").content.decode()
    assert "unread notification" not in home


def test_an_email_not_sent_yet_is_not_sent_once_resolved(org: OrgPeople) -> None:
    plan = submitted_plan(org)
    [ask] = notifications(org, org.manager, "development-plan-submitted")
    assert ask.email_state == Notification.EmailState.PENDING
    with organization_scope(org.organization):
        plan_services.plan_agree(actor=org.owner, plan=plan)
        assert email_send(notification_id=ask.pk) == "skipped"
        ask.refresh_from_db()
    assert ask.email_state == Notification.EmailState.NOT_SENT
    assert mail.outbox == []


def test_a_plan_closed_resolves_the_ask_too(org: OrgPeople) -> None:
    plan = submitted_plan(org)
    with organization_scope(org.organization):
        plan_services.plan_close(actor=org.hr, plan=plan)
    [ask] = notifications(org, org.manager, "development-plan-submitted")
    assert ask.resolved_by == org.hr


def test_a_goal_agreed_resolves_the_ask_but_an_update_does_not(org: OrgPeople) -> None:
    goal = create_goal(org.report)
    with organization_scope(org.organization):
        goal = goal_services.goal_agree(actor=org.manager, goal=goal)
    goal = post_update(org.report, goal, value=Decimal("10"))
    with organization_scope(org.organization):
        goal_services.goal_update(actor=org.report, goal=goal, title="Ship it to everyone")
    [ask] = notifications(org, org.manager, "goal-agreement-asked")
    assert ask.resolved_at is None

    post_update(org.report, goal, value=Decimal("20"))
    [ask] = notifications(org, org.manager, "goal-agreement-asked")
    assert ask.resolved_at is None

    with organization_scope(org.organization):
        goal_services.goal_agree(actor=org.manager, goal=goal)
    [ask] = notifications(org, org.manager, "goal-agreement-asked")
    assert ask.resolved_by == org.manager


def test_a_goal_update_resolves_the_reminder_to_update_it(org: OrgPeople) -> None:
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        goal = create_goal(org.report)
        with organization_scope(org.organization):
            goal = goal_services.goal_agree(actor=org.manager, goal=goal)
    run_sweep(organization=org.organization, now=start + timedelta(days=30))
    [reminder] = notifications(org, org.report, "goal-not-updated")
    assert reminder.resolved_at is None

    post_update(org.report, goal, value=Decimal("10"))

    [reminder] = notifications(org, org.report, "goal-not-updated")
    assert reminder.resolved_by == org.report
    assert unread(org, org.report) == 0


def test_answering_or_declining_a_feedback_request_resolves_the_ask(org: OrgPeople) -> None:
    request = make_request(org.report, [org.colleague, org.report2])
    with organization_scope(org.organization):
        feedback_services.feedback_request_answer(
            actor=org.colleague,
            request=request,
            visibility="recipient_and_manager",
            behaviour="Clear demo",
        )
        feedback_services.feedback_request_decline(actor=org.report2, request=request)
    for person in (org.colleague, org.report2):
        [ask] = notifications(org, person, "feedback-request")
        assert ask.resolved_by == person
        assert unread(org, person) == 0


def test_submitting_the_check_in_resolves_its_reminders(org: OrgPeople) -> None:
    friday = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    with organization_scope(org.organization):
        Membership.objects.update(created_at=datetime(2026, 10, 1, tzinfo=UTC))
        with time_machine.travel(datetime(2026, 11, 2, tzinfo=UTC)):
            feedback_services.cadence_save(
                actor=org.hr,
                frequency="weekly",
                due_weekday=4,
                questions=["What went well?"],
                remind_again_after_days=2,
            )
    run_sweep(organization=org.organization, now=friday)
    [due] = notifications(org, org.report, "checkin-due")
    assert due.resolved_at is None

    make_checkin(org.report, now=friday, submit=True)

    [due] = notifications(org, org.report, "checkin-due")
    assert due.resolved_by == org.report
    [other] = notifications(org, org.report2, "checkin-due")
    assert other.resolved_at is None


def test_ticking_an_action_item_resolves_its_overdue_reminder(org: OrgPeople) -> None:
    now = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
    with organization_scope(org.organization), time_machine.travel(now):
        series = meeting_services.series_start(
            actor=org.manager, other=org.report, first_meeting_at=now + timedelta(days=1)
        )
        meeting = series.meetings.get()
        item = meeting_services.action_item_create(
            actor=org.manager,
            meeting=meeting,
            owner=org.report,
            text="Write the runbook",
            due_date=(now + timedelta(days=2)).date(),
        )
    run_sweep(organization=org.organization, now=now + timedelta(days=5))
    [overdue] = notifications(org, org.report, "action-item-overdue")
    assert overdue.resolved_at is None
    with organization_scope(org.organization):
        meeting_services.action_item_update(actor=org.manager, item=item, done=True)
    [overdue] = notifications(org, org.report, "action-item-overdue")
    assert overdue.resolved_by == org.manager


def test_resolving_is_limited_to_its_subject_kinds_and_organization(
    org: OrgPeople, other_org: OrgPeople
) -> None:
    from perfmgmt.notifications.services import notifications_resolve

    with organization_scope(org.organization):
        mine, _ = notify(
            recipient=org.report, kind="a", key="a:1", title="A", subject="x.y:1", email=False
        )
        other_kind, _ = notify(
            recipient=org.report, kind="b", key="b:1", title="B", subject="x.y:1", email=False
        )
    with organization_scope(other_org.organization):
        theirs, _ = notify(
            recipient=other_org.report, kind="a", key="a:1", title="A", subject="x.y:1"
        )
    with organization_scope(org.organization):
        assert notifications_resolve(subject="x.y:1", kinds=["a"], by=org.manager) == 1
        assert notifications_resolve(subject="x.y:1", kinds=["a"], by=org.manager) == 0
        mine.refresh_from_db()
        other_kind.refresh_from_db()
    with organization_scope(other_org.organization):
        theirs.refresh_from_db()
    assert mine.resolved_by == org.manager
    assert other_kind.resolved_at is None
    assert theirs.resolved_at is None


def test_a_model_names_its_subject_by_label_and_id(org: OrgPeople) -> None:
    from perfmgmt.notifications.models import subject_of

    assert subject_of(org.report) == f"tenancy.membership:{org.report.pk}"
