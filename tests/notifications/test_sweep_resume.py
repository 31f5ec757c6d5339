"""A sweep cut by its soft time limit resumes where it stopped: its continuation reads on
from the last row whose reminders were committed (not from the first row), each reminder
is still created once, and a repeat run of the 1:1 reminder reads no meeting at all.

The check-in reminder is the one that shows it: it reads every active person and works out
their period in Python, so nothing in SQL spares it a second reading of the people a cut
run had reminded already."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from celery.exceptions import SoftTimeLimitExceeded
from django.db import OperationalError, connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from feedback import services as feedback_services
from perfmgmt.notifications import ledger, sweep
from perfmgmt.notifications.models import Notification
from perfmgmt.notifications.tasks import sweep_organization
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, MembershipStatus
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory
from tests.feedback.meetings.factories import make_meeting, make_series

pytestmark = pytest.mark.django_db

SET_UP = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # HR saves the cadence (weekly, due Friday)
JOINED = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
FRIDAY = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # the check-in is due today
PAGE = 5


@pytest.fixture
def people(org: OrgPeople) -> list[Membership]:
    """The organization's active people (18: 12 more than the fixture's), all joined in
    October, with the default cadence saved: each is due a check-in reminder on FRIDAY."""
    MembershipFactory.create_batch(12, organization=org.organization)
    with organization_scope(org.organization):
        Membership.objects.update(created_at=JOINED)
        with time_machine.travel(SET_UP):
            feedback_services.cadence_save(
                actor=org.hr,
                frequency="weekly",
                due_weekday=4,
                questions=["What went well?", "What's next?", "Any blockers?"],
                remind_again_after_days=2,
            )
        return list(Membership.objects.filter(status=MembershipStatus.ACTIVE).order_by("pk"))


class Reads:
    """The rows the check-in reminder reads (the pages of people it is handed)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.rows: Counter[int] = Counter()
        self.active = False
        real_pages, real_producer = ledger.pages, sweep.registered_reminders()["checkin-due"]

        def counted_pages(queryset: QuerySet[Any], **options: Any) -> Iterator[list[Any]]:
            for page in real_pages(queryset, **options):
                if self.active:
                    self.rows.update(row.pk for row in page)
                yield page

        def watched(*args: Any) -> int | None:
            self.active = True
            try:
                return real_producer(*args)
            finally:
                self.active = False

        monkeypatch.setattr(ledger, "pages", counted_pages)
        monkeypatch.setitem(sweep._producers, "checkin-due", watched)


def cut_at_the_second_insert(monkeypatch: pytest.MonkeyPatch) -> None:
    """The soft time limit arrives in the second batch's insert (of any producer): the
    first batch is committed, the second is not."""
    real_insert, calls = ledger._insert, []

    def insert(*args: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise SoftTimeLimitExceeded()
        return real_insert(*args)

    monkeypatch.setattr(ledger, "_insert", insert)


def reminded(org: OrgPeople, kind: str) -> Counter[int]:
    with organization_scope(org.organization):
        rows = Notification.objects.filter(kind=kind)
        return Counter(rows.values_list("recipient_id", flat=True))


def test_a_cut_sweep_and_its_continuation_read_each_person_once_and_remind_each_once(
    org: OrgPeople, people: list[Membership], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ledger, "BATCH", PAGE)
    reads = Reads(monkeypatch)
    cut_at_the_second_insert(monkeypatch)
    queued: list[dict[str, Any]] = []
    real_apply_async = sweep_organization.apply_async

    def apply_async(args: Any, kwargs: Any, **options: Any) -> Any:
        queued.append(kwargs)
        return real_apply_async(args, kwargs, **options)  # eager: runs it right away

    monkeypatch.setattr(sweep_organization, "apply_async", apply_async)
    with time_machine.travel(FRIDAY, tick=False):
        sweep_organization.delay(org.organization.pk).get()

    assert reminded(org, "checkin-due") == Counter(person.pk for person in people)
    # The cut came in the second page of people: the continuation starts after the first.
    assert queued[1:] == [  # (the first is the task itself)
        {
            "resume_from": "checkin-due",
            "continuation": 1,
            "position": {"day": "2026-11-20", "after": {"people": people[PAGE - 1].pk}},
        }
    ]
    # Everyone read once, but the page the limit cut: read again, its reminders not lost.
    assert set(reads.rows) == {person.pk for person in people}
    read_twice = sorted(pk for pk, times in reads.rows.items() if times > 1)
    assert read_twice == [person.pk for person in people[PAGE : 2 * PAGE]]
    assert max(reads.rows.values()) == 2


def test_a_continuation_on_another_day_reads_from_the_first_row(
    org: OrgPeople, people: list[Membership], monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = Reads(monkeypatch)
    position = {"day": "2026-11-19", "after": {"people": people[-1].pk}}

    sweep.run_sweep(
        organization=org.organization, now=FRIDAY, resume_from="checkin-due", position=position
    )

    # Read on Thursday, the position says nothing about what is due on Friday.
    assert set(reads.rows) == {person.pk for person in people}
    assert reminded(org, "checkin-due") == Counter(person.pk for person in people)


def test_a_continuation_on_the_same_day_starts_after_its_position(
    org: OrgPeople, people: list[Membership], monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = Reads(monkeypatch)
    position = {"day": "2026-11-20", "after": {"people": people[9].pk}}

    sweep.run_sweep(
        organization=org.organization, now=FRIDAY, resume_from="checkin-due", position=position
    )

    assert sorted(reads.rows) == [person.pk for person in people[10:]]
    # The next sweep starts from the beginning again and catches up on the first ten.
    sweep.run_sweep(organization=org.organization, now=FRIDAY)
    assert reminded(org, "checkin-due") == Counter(person.pk for person in people)


def test_a_cut_between_pages_with_no_reminders_loses_none(
    org: OrgPeople, people: list[Membership], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Dues of several pages share a batch: the position moves only past rows whose dues
    are all committed, also when some pages have none."""
    monkeypatch.setattr(ledger, "BATCH", PAGE)
    due_to = {person.pk for person in people[::3]}  # 6 of 18, two a page or fewer

    @sweep.reminder("aaa-sparse")
    def sparse(organization: Any, now: datetime) -> int:
        return ledger.deliver_rows(
            Membership.objects.filter(status=MembershipStatus.ACTIVE).select_related("user"),
            lambda page: [
                ledger.Due(recipient=person, kind="sparse", key=f"sparse:{person.pk}", texts=texts)
                for person in page
                if person.pk in due_to
            ],
        )

    def texts() -> tuple[str, str]:
        return "A title", ""

    real_insert = ledger._insert
    cut_at_the_second_insert(monkeypatch)
    try:
        with pytest.raises(sweep.SweepInterrupted) as stopped:
            sweep.run_sweep(organization=org.organization, now=FRIDAY)
        # The first batch of five dues came from the first three pages (15 people); the
        # fourth page's one due was in the batch the limit cut.
        assert sum(reminded(org, "sparse").values()) == PAGE
        position = stopped.value.position
        assert position["after"] == {"rows": people[14].pk}
        monkeypatch.setattr(ledger, "_insert", real_insert)
        sweep.run_sweep(
            organization=org.organization,
            now=FRIDAY,
            resume_from=stopped.value.producer,
            position=position,
        )
    finally:
        sweep.unregister("aaa-sparse")

    assert reminded(org, "sparse") == Counter(due_to)


def test_a_time_limit_that_cut_a_commit_still_ends_the_sweep_as_a_time_limit(
    org: OrgPeople,
) -> None:
    """The limit arriving in an atomic block's COMMIT surfaces as the OperationalError its
    clean-up raises; it is the time limit all the same, not a database outage."""

    @sweep.reminder("aaa-cut-commit")
    def cut_commit(organization: Any, now: datetime) -> int:
        try:
            raise SoftTimeLimitExceeded()
        except SoftTimeLimitExceeded:
            raise OperationalError("another command is already in progress") from None

    try:
        with pytest.raises(sweep.SweepInterrupted) as stopped:
            sweep.run_sweep(organization=org.organization, now=FRIDAY)
    finally:
        sweep.unregister("aaa-cut-commit")

    assert stopped.value.producer == "aaa-cut-commit"


def prepare_statements(org: OrgPeople, now: datetime) -> tuple[int, int]:
    """(statements, reminders created) of one run of the 1:1 reminder."""
    producer = sweep.registered_reminders()["one-on-one-prepare"]
    with organization_scope(org.organization), CaptureQueriesContext(connection) as context:
        created = producer(org.organization, sweep.local_now(org.organization, now))
    work = [q for q in context.captured_queries if "SAVEPOINT" not in q["sql"]]
    return len(work), created or 0


@pytest.mark.parametrize("series", [2, 12])
def test_a_repeat_run_of_the_1_1_reminder_reads_no_meeting(org: OrgPeople, series: int) -> None:
    tomorrow = datetime(2026, 11, 24, 15, 0, tzinfo=org.organization.zone)
    for _ in range(series):
        report = MembershipFactory.create(organization=org.organization, manager=org.manager)
        make_meeting(make_series(org.manager, report), when=tomorrow)
    now = datetime(2026, 11, 23, 18, 0, tzinfo=org.organization.zone)

    assert prepare_statements(org, now)[1] == 2 * series
    # One page of meetings, which leaves out in SQL those whose both sides were told.
    assert prepare_statements(org, now) == (1, 0)


def test_a_meeting_only_one_side_was_told_of_is_read_and_the_other_side_told(
    org: OrgPeople,
) -> None:
    meeting = make_meeting(
        make_series(org.manager, org.report),
        when=datetime(2026, 11, 24, 15, 0, tzinfo=org.organization.zone),
    )
    now = datetime(2026, 11, 23, 18, 0, tzinfo=org.organization.zone)
    prepare_statements(org, now)
    with organization_scope(org.organization):
        Notification.objects.filter(recipient=org.report).delete()

    assert prepare_statements(org, now)[1] == 1
    assert reminded(org, "one-on-one-prepare") == Counter([org.manager.pk, org.report.pk])
    with organization_scope(org.organization):
        keys = set(Notification.objects.values_list("key", flat=True))
    assert keys == {f"one-on-one-prepare:{meeting.pk}:2026-11-24"}
