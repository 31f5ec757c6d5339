"""A change of check-in cadence applies from the next period boundary, and nobody is asked
for (or reminded of) a period that began before they joined or started.

The organization is in Europe/Berlin. HR set a weekly cadence due Friday long ago. On
Wednesday 25 November 2026 HR sets the team to every two weeks, due Thursday: under the new
cadence the fortnight 16-29 November would have been due on Thursday 26 November, a due
date that never existed. The next period boundary is Monday 30 November (the start of the
fortnight 30 November - 13 December, due Thursday 10 December).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from feedback import selectors, services
from feedback.models import CheckInCadence, Frequency, Weekday
from perfmgmt.notifications.models import Notification
from perfmgmt.notifications.sweep import run_sweep
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, Team
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

LONG_AGO = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
CHANGE_DAY = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # Wednesday


def at(day: int, month: int = 11, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def save(
    org: OrgPeople,
    frequency: str,
    weekday: int,
    *,
    now: datetime,
    team: Team | None = None,
) -> CheckInCadence:
    """HR saves the cadence at `now`."""
    with organization_scope(org.organization), time_machine.travel(now):
        return services.cadence_save(
            actor=org.hr,
            team=team,
            frequency=frequency,
            due_weekday=weekday,
            questions=["What went well?"],
            remind_again_after_days=2,
        )


def sweep_days(org: OrgPeople, *moments: datetime) -> None:
    for moment in moments:
        run_sweep(organization=org.organization, now=moment)


def reminders(org: OrgPeople, person: Membership) -> list[tuple[str, str, str]]:
    with organization_scope(org.organization):
        return list(
            Notification.objects.filter(recipient=person, kind__startswith="checkin-")
            .exclude(kind="checkin-review-digest")
            .order_by("pk")
            .values_list("key", "title", "body")
        )


@pytest.fixture(autouse=True)
def _weekly_since_september(org: OrgPeople) -> None:
    with organization_scope(org.organization):
        Membership.objects.update(created_at=LONG_AGO)
    for person in vars(org).values():
        if isinstance(person, Membership):
            person.created_at = LONG_AGO
    save(org, Frequency.WEEKLY, Weekday.FRIDAY, now=LONG_AGO)


def test_a_change_mid_period_keeps_the_old_due_date_until_the_next_period(
    org: OrgPeople,
) -> None:
    save(org, Frequency.BIWEEKLY, Weekday.THURSDAY, now=CHANGE_DAY, team=org.report.team)

    sweep_days(org, at(26), at(26, hour=20))
    assert reminders(org, org.report) == []
    sweep_days(org, at(27), at(28), at(29), at(29, hour=21))
    sent = reminders(org, org.report)
    assert [key for key, _, _ in sent] == [
        f"checkin-due:{org.report.pk}:2026-11-23",
        f"checkin-overdue:{org.report.pk}:2026-11-23",
    ]
    assert sent[0][1] == "Your check-in is due today"
    assert "Friday 27 November" in sent[1][2]
    assert not any("26 November" in title + body for _, title, body in sent)


def test_the_new_periods_begin_at_the_next_boundary(org: OrgPeople) -> None:
    save(org, Frequency.BIWEEKLY, Weekday.THURSDAY, now=CHANGE_DAY, team=org.report.team)
    with organization_scope(org.organization):
        before = selectors.current_period(person=org.report, day=date(2026, 11, 26))
        after = selectors.current_period(person=org.report, day=date(2026, 12, 2))
    assert (before.start, before.end, before.due_on) == (
        date(2026, 11, 23),
        date(2026, 11, 29),
        date(2026, 11, 27),
    )
    assert (after.start, after.end, after.due_on) == (
        date(2026, 11, 30),
        date(2026, 12, 13),
        date(2026, 12, 10),
    )
    sweep_days(org, at(3, 12), at(9, 12))
    assert [key for key, _, _ in reminders(org, org.report) if "2026-11-30" in key] == []
    sweep_days(org, at(10, 12))
    assert (f"checkin-due:{org.report.pk}:2026-11-30", "Your check-in is due today") in [
        (key, title) for key, title, _ in reminders(org, org.report)
    ]


def test_a_check_in_started_after_the_change_keeps_the_old_periods_dates(
    org: OrgPeople,
) -> None:
    save(org, Frequency.MONTHLY, Weekday.THURSDAY, now=CHANGE_DAY)
    with organization_scope(org.organization):
        checkin = services.checkin_current(actor=org.report, now=at(26))
    assert (checkin.period_start, checkin.period_end, checkin.due_on) == (
        date(2026, 11, 23),
        date(2026, 11, 29),
        date(2026, 11, 27),
    )


def test_saving_twice_in_one_period_does_not_move_the_boundary(org: OrgPeople) -> None:
    save(org, Frequency.BIWEEKLY, Weekday.THURSDAY, now=CHANGE_DAY)
    cadence = save(org, Frequency.MONTHLY, Weekday.MONDAY, now=at(28))
    assert cadence.applies_from == date(2026, 11, 30)
    assert (cadence.previous_frequency, cadence.previous_due_weekday) == (
        Frequency.WEEKLY,
        Weekday.FRIDAY,
    )
    # Going back to what applies today, before the change took effect, changes nothing.
    cadence = save(org, Frequency.WEEKLY, Weekday.FRIDAY, now=at(28))
    assert cadence.applies_from is None
    with organization_scope(org.organization):
        december = selectors.current_period(person=org.report, day=date(2026, 12, 2))
    assert (december.start, december.due_on) == (date(2026, 11, 30), date(2026, 12, 4))


def test_a_team_going_back_to_the_organizations_cadence_waits_for_its_period_to_end(
    org: OrgPeople,
) -> None:
    team = org.report.team
    assert team is not None
    save(org, Frequency.BIWEEKLY, Weekday.THURSDAY, now=at(10), team=team)  # from 16 Nov
    with organization_scope(org.organization):
        with time_machine.travel(CHANGE_DAY):
            services.cadence_delete(actor=org.hr, team=team)
        fortnight = selectors.current_period(person=org.report, day=date(2026, 11, 27))
        december = selectors.current_period(person=org.report, day=date(2026, 12, 2))
    assert (fortnight.start, fortnight.end, fortnight.due_on) == (
        date(2026, 11, 16),
        date(2026, 11, 29),
        date(2026, 11, 26),
    )
    assert (december.start, december.end, december.due_on) == (
        date(2026, 11, 30),
        date(2026, 12, 6),
        date(2026, 12, 4),
    )


def test_someone_who_joined_today_and_starts_next_week_is_not_reminded_of_this_period(
    org: OrgPeople,
) -> None:
    with time_machine.travel(CHANGE_DAY):
        newcomer = MembershipFactory.create(
            organization=org.organization,
            manager=org.manager,
            team=org.report.team,
            start_date=date(2026, 11, 30),
        )
    save(org, Frequency.BIWEEKLY, Weekday.THURSDAY, now=CHANGE_DAY, team=org.report.team)
    sweep_days(org, at(26), at(27), at(29, hour=21), at(1, 12), at(3, 12))
    assert reminders(org, newcomer) == []
    sweep_days(org, at(10, 12))
    assert [key for key, _, _ in reminders(org, newcomer)] == [
        f"checkin-due:{newcomer.pk}:2026-11-30"
    ]


def test_a_new_joiner_is_first_reminded_about_their_first_whole_period(org: OrgPeople) -> None:
    # Joined on Wednesday 25 November (weekly, due Friday): the week they joined in is not
    # theirs, so no "still missing" on Sunday; the first reminder is about the next week.
    with time_machine.travel(CHANGE_DAY):
        newcomer = MembershipFactory.create(organization=org.organization, manager=org.manager)
    sweep_days(org, at(27), at(29, hour=21), at(30), at(2, 12))
    assert reminders(org, newcomer) == []
    sweep_days(org, at(4, 12), at(6, 12, hour=21))
    assert [key for key, _, _ in reminders(org, newcomer)] == [
        f"checkin-due:{newcomer.pk}:2026-11-30",
        f"checkin-overdue:{newcomer.pk}:2026-11-30",
    ]


def test_their_first_check_in_begins_on_their_first_day(org: OrgPeople) -> None:
    with time_machine.travel(CHANGE_DAY):
        newcomer = MembershipFactory.create(organization=org.organization, manager=org.manager)
        with organization_scope(org.organization):
            checkin = services.checkin_current(actor=newcomer)
    assert (checkin.period_start, checkin.period_end) == (date(2026, 11, 25), date(2026, 11, 29))


def test_the_day_of_a_change_is_the_organizations_day_across_the_clock_change(
    org: OrgPeople,
) -> None:
    # The clocks go back at 01:00 UTC on Sunday 25 October 2026: 22:30 UTC that evening is
    # 23:30 in Berlin, still Sunday, so the change applies from Monday 26 October. (At
    # summer time it would already have been Monday, and the change a week later.)
    save(org, Frequency.WEEKLY, Weekday.THURSDAY, now=at(25, month=10, hour=22, minute=30))
    with organization_scope(org.organization):
        assert selectors.cadence_for(org.report, day=date(2026, 10, 26)).due_weekday == 3
        assert selectors.cadence_for(org.report, day=date(2026, 10, 25)).due_weekday == 4
    sweep_days(org, at(29, month=10, hour=8))
    assert [title for _, title, _ in reminders(org, org.report)] == ["Your check-in is due today"]


def test_a_change_saved_just_after_midnight_in_berlin_waits_a_week(org: OrgPeople) -> None:
    # 23:30 UTC on Sunday is 00:30 on Monday 26 October in Berlin: that week has begun
    # under the old cadence, which therefore applies until Sunday 1 November.
    save(org, Frequency.WEEKLY, Weekday.THURSDAY, now=at(25, month=10, hour=23, minute=30))
    sweep_days(org, at(29, month=10, hour=8))
    assert reminders(org, org.report) == []
    sweep_days(org, at(30, month=10, hour=8))
    assert [title for _, title, _ in reminders(org, org.report)] == ["Your check-in is due today"]


def test_the_settings_page_says_when_the_new_periods_start(
    org: OrgPeople, client_for: Callable[[Membership], Client]
) -> None:
    save(org, Frequency.BIWEEKLY, Weekday.THURSDAY, now=CHANGE_DAY)
    with time_machine.travel(at(26)):
        page = client_for(org.hr).get(
            reverse("feedback:checkin_settings", args=[org.organization.slug])
        )
    assert page.status_code == 200
    assert (
        "The new periods start on 30 Nov 2026; until then: weekly, due Friday."
        in page.content.decode()
    )
