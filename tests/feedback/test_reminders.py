"""Check-in and feedback-request reminders: due day, again later, manager digest; once each.

The organization is in Europe/Berlin; the default cadence is weekly, due Friday, reminded
again two days later. The week under test runs Monday 16 to Sunday 22 November 2026.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from feedback import services
from feedback.models import CheckIn
from perfmgmt.notifications.models import Notification
from perfmgmt.notifications.sweep import run_sweep
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, MembershipStatus
from tests.conftest import OrgPeople
from tests.feedback.factories import make_checkin, make_request

pytestmark = pytest.mark.django_db

THURSDAY = datetime(2026, 11, 19, 9, 0, tzinfo=UTC)
FRIDAY = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
SATURDAY = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
SUNDAY = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


# HR set the cadence up on this Monday, two weeks before the week under test (reminders
# start once a cadence is set, from the next period boundary).
SET_UP = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
JOINED = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _everyone_joined_before_the_weeks_under_test(org: OrgPeople, other_org: OrgPeople) -> None:
    """Nobody is reminded of a period before they joined: these people joined in October."""
    for people in (org, other_org):
        with organization_scope(people.organization):
            Membership.objects.update(created_at=JOINED)
        for person in vars(people).values():
            if isinstance(person, Membership):
                person.created_at = JOINED


@pytest.fixture
def cadence(org: OrgPeople) -> None:
    """HR has saved the default cadence (reminders start once a cadence is set)."""
    with organization_scope(org.organization), time_machine.travel(SET_UP):
        services.cadence_save(
            actor=org.hr,
            frequency="weekly",
            due_weekday=4,
            questions=["What went well?", "What's next?", "Any blockers?"],
            remind_again_after_days=2,
        )


def sweep(org: OrgPeople, now: datetime) -> None:
    run_sweep(organization=org.organization, now=now)


def keys(org: OrgPeople, person: Membership, kind: str) -> list[str]:
    with organization_scope(org.organization):
        return list(
            Notification.objects.filter(recipient=person, kind=kind)
            .order_by("pk")
            .values_list("key", flat=True)
        )


@pytest.mark.usefixtures("cadence")
def test_the_person_is_reminded_on_the_due_day_once(org: OrgPeople) -> None:
    sweep(org, THURSDAY)
    assert keys(org, org.report, "checkin-due") == []
    for moment in (FRIDAY, FRIDAY.replace(hour=15), SATURDAY):
        sweep(org, moment)
    assert keys(org, org.report, "checkin-due") == [f"checkin-due:{org.report.pk}:2026-11-16"]


@pytest.mark.usefixtures("cadence")
def test_the_due_day_is_the_organizations_friday(org: OrgPeople) -> None:
    # Thursday 23:30 UTC is already Friday 00:30 in Berlin.
    sweep(org, datetime(2026, 11, 19, 23, 30, tzinfo=UTC))
    assert len(keys(org, org.report, "checkin-due")) == 1


@pytest.mark.usefixtures("cadence")
def test_nobody_who_submitted_is_reminded(org: OrgPeople) -> None:
    make_checkin(org.report, now=THURSDAY, submit=True)
    for moment in (FRIDAY, SUNDAY):
        sweep(org, moment)
    assert keys(org, org.report, "checkin-due") == []
    assert keys(org, org.report, "checkin-overdue") == []
    assert len(keys(org, org.report2, "checkin-due")) == 1


@pytest.mark.usefixtures("cadence")
def test_a_draft_still_counts_as_missing(org: OrgPeople) -> None:
    make_checkin(org.report, now=THURSDAY)
    sweep(org, FRIDAY)
    assert len(keys(org, org.report, "checkin-due")) == 1


@pytest.mark.usefixtures("cadence")
def test_a_second_reminder_comes_the_set_number_of_days_later_once(org: OrgPeople) -> None:
    sweep(org, SATURDAY)
    assert keys(org, org.report, "checkin-overdue") == []
    sweep(org, SUNDAY)
    sweep(org, SUNDAY.replace(hour=20))
    sweep(org, datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    assert keys(org, org.report, "checkin-overdue") == [
        f"checkin-overdue:{org.report.pk}:2026-11-16"
    ]


@pytest.mark.usefixtures("cadence")
def test_the_second_reminder_follows_the_configured_delay(org: OrgPeople) -> None:
    # Saved on Monday 9th: applies from Monday 16th.
    with (
        organization_scope(org.organization),
        time_machine.travel(datetime(2026, 11, 9, tzinfo=UTC)),
    ):
        services.cadence_save(
            actor=org.hr,
            frequency="weekly",
            due_weekday=2,  # Wednesday 18th
            questions=["How did it go?"],
            remind_again_after_days=5,
        )
    sweep(org, datetime(2026, 11, 22, 9, 0, tzinfo=UTC))
    assert keys(org, org.report, "checkin-overdue") == []
    # Monday 23rd: five days after Wednesday; the period it is about is the one before.
    sweep(org, datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    assert keys(org, org.report, "checkin-overdue") == [
        f"checkin-overdue:{org.report.pk}:2026-11-16"
    ]


@pytest.mark.usefixtures("cadence")
def test_people_on_leave_are_not_reminded(org: OrgPeople) -> None:
    with organization_scope(org.organization):
        Membership.objects.filter(pk=org.report.pk).update(status=MembershipStatus.ON_LEAVE)
    sweep(org, FRIDAY)
    assert keys(org, org.report, "checkin-due") == []


@pytest.mark.usefixtures("cadence")
def test_the_manager_gets_one_digest_a_week_while_check_ins_wait(org: OrgPeople) -> None:
    make_checkin(org.report, now=THURSDAY, submit=True)
    make_checkin(org.report2, now=THURSDAY, submit=True)
    sweep(org, FRIDAY)
    sweep(org, SATURDAY)
    assert keys(org, org.manager, "checkin-review-digest") == [
        f"checkin-review-digest:{org.manager.pk}:2026-W47"
    ]
    with organization_scope(org.organization):
        digest = Notification.objects.get(kind="checkin-review-digest")
    assert digest.title == "2 check-ins waiting for your review"
    assert org.report.display_name in digest.body
    sweep(org, datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    assert len(keys(org, org.manager, "checkin-review-digest")) == 2
    assert keys(org, org.owner, "checkin-review-digest") == []


@pytest.mark.usefixtures("cadence")
def test_no_digest_once_everything_is_reviewed(org: OrgPeople) -> None:
    checkin = make_checkin(org.report, now=THURSDAY, submit=True)
    with organization_scope(org.organization):
        services.checkin_review(actor=org.manager, checkin=checkin, reply="")
    sweep(org, FRIDAY)
    assert keys(org, org.manager, "checkin-review-digest") == []


@pytest.mark.usefixtures("cadence")
def test_a_feedback_request_reminds_the_asked_person_the_day_before_once(
    org: OrgPeople, time_machine: object
) -> None:
    time_machine.move_to(datetime(2026, 11, 16, 9, 0, tzinfo=UTC))  # type: ignore[attr-defined]
    request = make_request(org.report, [org.colleague, org.report2], due_in_days=4)  # due Fri
    with organization_scope(org.organization):
        services.feedback_request_decline(actor=org.report2, request=request)
    sweep(org, datetime(2026, 11, 18, 9, 0, tzinfo=UTC))
    assert keys(org, org.colleague, "feedback-request-due") == []
    for moment in (THURSDAY, FRIDAY):
        sweep(org, moment)
    ask_keys = keys(org, org.colleague, "feedback-request-due")
    assert len(ask_keys) == 1
    assert keys(org, org.report2, "feedback-request-due") == []
    sweep(org, SATURDAY)  # past due: nothing more
    assert len(keys(org, org.colleague, "feedback-request-due")) == 1


def test_nobody_is_reminded_before_hr_sets_a_cadence(org: OrgPeople) -> None:
    for moment in (FRIDAY, SUNDAY):
        sweep(org, moment)
    assert keys(org, org.report, "checkin-due") == []
    assert keys(org, org.report, "checkin-overdue") == []


def test_a_team_cadence_alone_reminds_only_that_team(org: OrgPeople) -> None:
    from tests.factories import MembershipFactory, TeamFactory

    sales = TeamFactory.create(organization=org.organization, name="Sales")
    seller = MembershipFactory.create(organization=org.organization, team=sales, created_at=JOINED)
    with organization_scope(org.organization), time_machine.travel(SET_UP):
        services.cadence_save(
            actor=org.hr,
            team=sales,
            frequency="weekly",
            due_weekday=4,
            questions=["How was the week?"],
            remind_again_after_days=2,
        )
    sweep(org, FRIDAY)
    assert len(keys(org, seller, "checkin-due")) == 1
    assert keys(org, org.report, "checkin-due") == []


def test_another_organizations_sweep_reminds_nobody_here(
    org: OrgPeople, other_org: OrgPeople
) -> None:
    with organization_scope(other_org.organization), time_machine.travel(SET_UP):
        services.cadence_save(
            actor=other_org.hr,
            frequency="weekly",
            due_weekday=4,
            questions=["Q"],
            remind_again_after_days=2,
        )
    sweep(other_org, FRIDAY)
    assert keys(org, org.report, "checkin-due") == []
    with organization_scope(other_org.organization):
        assert Notification.objects.filter(kind="checkin-due").exists()
        assert not CheckIn.objects.exists()
    assert date(2026, 11, 20).weekday() == 4
