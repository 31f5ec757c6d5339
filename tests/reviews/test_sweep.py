"""The phase sweep: phases stamped open and closed on time, once, across a DST change; the
people concerned told once; a repeated sweep costs the same queries however many people."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from perfmgmt.notifications.models import Notification
from perfmgmt.notifications.sweep import run_sweep
from reviews import reminders
from reviews.models import CyclePhase, CycleStatus, PhaseKind, ReviewCycle
from reviews.phases import local_instant
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory
from tests.reviews.factories import running_cycle

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
DAY = timedelta(days=1)


@pytest.fixture
def in_berlin(org: OrgPeople) -> OrgPeople:
    org.organization.time_zone = "Europe/Berlin"
    org.organization.save()
    return org


def dst_phases() -> dict[str, tuple[datetime, datetime]]:
    """Self-assessment from 1 October, closing at 17:00 Berlin time on Monday 26 October
    2026, the day after summer time ends (Sunday 25 October); manager reviews from 8 October."""
    opens = local_instant(date(2026, 10, 1), time(9, 0), BERLIN)
    closes = local_instant(date(2026, 10, 26), time(17, 0), BERLIN)
    return {
        PhaseKind.SELF: (opens, closes),
        PhaseKind.MANAGER: (opens + 7 * DAY, closes + 14 * DAY),
    }


def sweep(org: OrgPeople, moment: datetime) -> None:
    with time_machine.travel(moment, tick=False):
        run_sweep(organization=org.organization, now=moment)


def test_a_phase_closing_at_17_berlin_after_the_dst_change_closes_at_16_utc(
    in_berlin: OrgPeople, scope: object
) -> None:
    org = in_berlin
    cycle = running_cycle(org, [org.report], phases=dst_phases())
    phase = CyclePhase.objects.get(cycle=cycle, kind=PhaseKind.SELF)
    sweep(org, datetime(2026, 10, 26, 15, 0, tzinfo=UTC))  # 16:00 in Berlin: still open
    phase.refresh_from_db()
    assert phase.opened_at is not None
    assert phase.closed_at is None
    sweep(org, datetime(2026, 10, 26, 16, 0, tzinfo=UTC))  # 17:00 in Berlin
    phase.refresh_from_db()
    assert phase.closed_at == datetime(2026, 10, 26, 16, 0, tzinfo=UTC)
    closed = Notification.objects.filter(kind="review-phase-closed")
    assert [note.recipient for note in closed] == [org.report]


def test_an_opening_tells_each_reviewee_and_each_manager_once_in_a_digest(
    in_berlin: OrgPeople, scope: object
) -> None:
    org = in_berlin
    cycle = running_cycle(org, [org.report, org.report2], phases=dst_phases())
    sweep(org, datetime(2026, 10, 2, 8, 0, tzinfo=UTC))
    opened = Notification.objects.filter(kind="review-phase-opened")
    assert sorted(note.recipient.pk for note in opened) == sorted([org.report.pk, org.report2.pk])
    sweep(org, datetime(2026, 10, 9, 8, 0, tzinfo=UTC))
    sweep(org, datetime(2026, 10, 9, 8, 15, tzinfo=UTC))
    digest = Notification.objects.filter(kind="review-phase-opened", recipient=org.manager)
    assert digest.count() == 1
    assert "2 reviews" in digest.get().body
    stamped = CyclePhase.objects.filter(cycle=cycle, opened_at__isnull=False)
    assert stamped.count() == 2


def test_two_sweeps_stamp_and_announce_once(in_berlin: OrgPeople, scope: object) -> None:
    org = in_berlin
    running_cycle(org, [org.report], phases=dst_phases())
    moment = datetime(2026, 10, 2, 8, 0, tzinfo=UTC)
    with time_machine.travel(moment, tick=False):
        assert reminders._stamp(org.organization, "opened_at", "opens_at", moment) != []
        assert reminders._stamp(org.organization, "opened_at", "opens_at", moment) == []
    sweep(org, moment)
    sweep(org, moment)
    assert Notification.objects.filter(kind__startswith="review-").count() == 0


def test_a_person_with_a_later_extension_is_not_told_the_phase_closed_without_them(
    in_berlin: OrgPeople, scope: object
) -> None:
    org = in_berlin
    cycle = running_cycle(org, [org.report, org.report2], phases=dst_phases())
    cycle.participants.filter(reviewee=org.report2).update(
        self_deadline=datetime(2026, 10, 30, 16, 0, tzinfo=UTC)
    )
    sweep(org, datetime(2026, 10, 27, 8, 0, tzinfo=UTC))
    closed = Notification.objects.filter(kind="review-phase-closed")
    assert [note.recipient for note in closed] == [org.report]


def _people(org: OrgPeople, count: int) -> list:
    return [
        MembershipFactory.create(organization=org.organization, manager=org.manager)
        for _ in range(count)
    ]


def _repeat_sweep_queries(org: OrgPeople, count: int, name: str) -> int:
    phases = dst_phases()
    running_cycle(org, _people(org, count), phases=phases, name=name)
    moment = datetime(2026, 10, 24, 8, 0, tzinfo=UTC)  # self closes in 2 days: reminders due
    with time_machine.travel(moment, tick=False):
        for producer in (
            reminders.review_phases,
            reminders.review_closing_soon,
            reminders.review_self_ready,
            reminders.review_acknowledge_pending,
        ):
            producer(org.organization, moment)
        with CaptureQueriesContext(connection) as queries:
            for producer in (
                reminders.review_phases,
                reminders.review_closing_soon,
                reminders.review_self_ready,
                reminders.review_acknowledge_pending,
            ):
                assert not producer(org.organization, moment)
    return len(queries)


def test_a_repeated_sweep_costs_the_same_queries_at_5_and_50_people(
    in_berlin: OrgPeople, scope: object
) -> None:
    few = _repeat_sweep_queries(in_berlin, 5, "Few")
    ReviewCycle.objects.update(status=CycleStatus.CLOSED)  # only the second one runs
    many = _repeat_sweep_queries(in_berlin, 50, "Many")
    assert Notification.objects.filter(kind="review-closing-soon").count() >= 55
    assert few == many


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_the_same_moment_stamp_each_phase_once(org: OrgPeople) -> None:
    import threading

    from django.db import connections

    running_cycle(org, [org.report], phases=dst_phases())
    moment = datetime(2026, 10, 27, 8, 0, tzinfo=UTC)  # both phases opened, self closed
    barrier = threading.Barrier(2)
    stamped: list[int] = []

    def one_sweep() -> None:
        try:
            barrier.wait(timeout=10)
            stamped.extend(reminders._stamp(org.organization, "opened_at", "opens_at", moment))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one_sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(stamped) == 2
    assert len(set(stamped)) == 2
