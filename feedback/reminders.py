"""Reminders of the feedback app, discovered by the notifications sweep at start-up.

Check-in and feedback-request reminders live here; 1:1 reminders in feedback/meetings/
(an app of its own, discovered the same way).

Each producer finds what is due in the organization's time zone and calls `notify` with a
key naming the reminder and its period, so every reminder is sent exactly once however
often, late or concurrently the sweep runs:

- ``checkin-due:<person>:<period start>``: the person, from the day their check-in is due
  until the period ends, while it is not submitted.
- ``checkin-overdue:<person>:<period start>``: again, `remind_again_after_days` after the
  due date, if still not submitted.
- ``checkin-review-digest:<manager>:<ISO week>``: a manager, once a week, the list of their
  direct reports' check-ins waiting for review.
- ``feedback-request-due:<ask>``: the person asked, from the day before the due date until
  the due date, while they have neither answered nor declined.

Check-in reminders start once HR has saved a cadence (for the organization, or for the
person's team), from the next period boundary; people can write check-ins before that,
nobody is reminded. Nobody is reminded of a period that began before they joined or
started (see `feedback/periods.py`), so a new joiner's first reminder is about their first
whole period, never "still missing" before it has even ended.
People are read in keyset pages; each batch of reminders is written in one statement
(perfmgmt/notifications/ledger.py), so statements grow by a few per batch, never per person.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.utils.translation import gettext, ngettext

from perfmgmt.localization import format_day, format_weekday
from perfmgmt.notifications.ledger import Due, deliver, deliver_rows
from perfmgmt.notifications.models import subject_of
from perfmgmt.notifications.sweep import iso_week_key, reminder
from perfmgmt.tenancy.models import Membership, MembershipStatus, Organization
from perfmgmt.tenancy.selectors import first_day
from perfmgmt.web.links import optional_reverse

from . import selectors
from .models import CheckIn, FeedbackAsk
from .periods import CadenceOnDay, Period, period_for
from .services.checkins import checkin_subject

# Longest period (a month) plus the longest "remind again" delay: older check-ins cannot
# matter to either reminder.
LOOK_BACK = timedelta(days=31 + 14)


class _CheckInBook:
    """Recent check-ins of one keyset batch of active people, read in one statement,
    answering per person and day."""

    def __init__(
        self,
        organization: Organization,
        today: date,
        people: list[Membership],
        cadences: Any,
        url: str,
    ) -> None:
        self.zone = organization.zone
        self.cadences = cadences
        self.people = people
        self.url = url
        self.by_person: dict[int, list[CheckIn]] = defaultdict(list)
        self._cadence_on: dict[tuple[int | None, date], CadenceOnDay] = {}
        if not people:
            return
        recent = CheckIn.objects.filter(
            person__status=MembershipStatus.ACTIVE,
            person_id__gte=people[0].pk,
            person_id__lte=people[-1].pk,
            period_end__gte=today - LOOK_BACK,
        ).order_by("period_start")
        for checkin in recent:
            self.by_person[checkin.person_id].append(checkin)

    def cadence(self, person: Membership, day: date) -> CadenceOnDay:
        """`selectors.cadence_for`, remembered per team and day for the page (the sweep asks
        for it a few times a person)."""
        key = (person.team_id, day)
        if key not in self._cadence_on:
            self._cadence_on[key] = selectors.cadence_for(person, self.cadences, day=day)
        return self._cadence_on[key]

    def period_on(self, person: Membership, day: date) -> tuple[Period, CheckIn | None]:
        """The person's check-in period covering `day` (see periods.py) and its check-in."""
        checkins = self.by_person.get(person.pk, [])
        for checkin in checkins:
            if checkin.period_start <= day <= checkin.period_end:
                return Period(checkin.period_start, checkin.period_end, checkin.due_on), checkin
        earlier = [c.period_end for c in checkins if c.period_end < day]
        cadence = self.cadence(person, day)
        joined = first_day(person, self.zone)
        return period_for(cadence, day, max(earlier, default=None), joined), None

    def reminds(self, person: Membership, period: Period) -> bool:
        """Only for a cadence HR has set up, and only for the person's own whole periods:
        never one that began before they joined or started, nor before a change of cadence
        took effect (`selectors.is_reminded_period` is the same rule for one person)."""
        if not self.cadence(person, period.start).configured:
            return False
        return period.start >= selectors.reminded_from(person, self.zone, self.cadences)


def _missing(checkin: CheckIn | None) -> bool:
    return checkin is None or checkin.status == CheckIn.Status.DRAFT


def _checkin_url(organization: Organization) -> str:
    return optional_reverse("feedback:checkin_mine", org_slug=organization.slug)


def _deliver_by_books(
    organization: Organization,
    today: date,
    dues: Callable[[Organization, _CheckInBook, date], Iterator[Due]],
) -> int:
    """The active people in keyset pages (people in primary-key order), each page with its
    check-ins: two statements per page of `BATCH` people (and the ledger's). Resumable: a
    continuation starts after the last person whose reminder was committed."""
    cadences, url = selectors.cadences_by_team(), _checkin_url(organization)
    return deliver_rows(
        selectors.active_people(),
        lambda people: dues(
            organization, _CheckInBook(organization, today, people, cadences, url), today
        ),
        scan="people",
    )


@reminder("checkin-due")
def checkin_due(organization: Organization, now: datetime) -> int:
    """Tell each active person their check-in is due, once per period."""
    return _deliver_by_books(organization, now.date(), _due_dues)


def _due_dues(organization: Organization, book: _CheckInBook, today: date) -> Iterator[Due]:
    for person in book.people:
        period, checkin = book.period_on(person, today)
        if today < period.due_on or not _missing(checkin) or not book.reminds(person, period):
            continue
        yield Due(
            recipient=person,
            kind="checkin-due",
            key=f"checkin-due:{person.pk}:{period.start.isoformat()}",
            texts=partial(_due_texts, period, today),
            url=book.url,
            subject=checkin_subject(person.pk, period.start),
        )


def _due_texts(period: Period, today: date) -> tuple[str, str]:
    title = (
        gettext("Your check-in is due today")
        if today == period.due_on
        else gettext("Your check-in was due on %(day)s") % {"day": format_weekday(period.due_on)}
    )
    body = gettext(
        "Tell your manager how %(start)s to %(end)s went: "
        "what went well, what's next and what is in your way."
    ) % {"start": format_day(period.start), "end": format_day(period.end)}
    return title, body


@reminder("checkin-overdue")
def checkin_overdue(organization: Organization, now: datetime) -> int:
    """Remind again, `remind_again_after_days` after the due date, if still missing."""
    return _deliver_by_books(organization, now.date(), _overdue_dues)


def _overdue_dues(organization: Organization, book: _CheckInBook, today: date) -> Iterator[Due]:
    for person in book.people:
        delay = book.cadence(person, today).remind_again_after_days
        period, checkin = book.period_on(person, today - timedelta(days=delay))
        if today < period.due_on + timedelta(days=delay) or not _missing(checkin):
            continue
        if not book.reminds(person, period):
            continue
        yield Due(
            recipient=person,
            kind="checkin-overdue",
            key=f"checkin-overdue:{person.pk}:{period.start.isoformat()}",
            texts=partial(_overdue_texts, period),
            url=book.url,
            subject=checkin_subject(person.pk, period.start),
        )


def _overdue_texts(period: Period) -> tuple[str, str]:
    body = gettext(
        "It was due on %(day)s. A few lines are enough; your "
        "manager reads it before your next conversation."
    ) % {"day": format_weekday(period.due_on)}
    return gettext("Your check-in is still missing"), body


@reminder("checkin-review-digest")
def checkin_review_digest(organization: Organization, now: datetime) -> int:
    """Once a week, each manager: their direct reports' check-ins waiting for review."""
    waiting = (
        CheckIn.objects.filter(
            status=CheckIn.Status.SUBMITTED,
            person__manager__status=MembershipStatus.ACTIVE,
        )
        .select_related("person__user", "person__manager__user")
        .order_by("submitted_at", "id")
    )
    by_manager: dict[int, list[CheckIn]] = defaultdict(list)
    managers: dict[int, Membership] = {}
    for checkin in waiting:
        manager = checkin.person.manager
        assert manager is not None  # the filter above follows the manager
        managers[manager.pk] = manager
        by_manager[manager.pk].append(checkin)
    week = iso_week_key(now)
    url = optional_reverse("feedback:checkin_reviews", org_slug=organization.slug)
    return deliver(
        Due(
            recipient=managers[manager_id],
            kind="checkin-review-digest",
            key=f"checkin-review-digest:{manager_id}:{week}",
            texts=partial(_digest_texts, checkins),
            url=url,
        )
        for manager_id, checkins in by_manager.items()
    )


def _digest_texts(checkins: list[CheckIn]) -> tuple[str, str]:
    names = ", ".join(sorted({checkin.person.display_name for checkin in checkins}))
    count = len(checkins)
    title = ngettext(
        "%(count)d check-in waiting for your review",
        "%(count)d check-ins waiting for your review",
        count,
    ) % {"count": count}
    return title, gettext("From %(names)s. A short reply shows you read it.") % {"names": names}


@reminder("feedback-request-due")
def feedback_request_due(organization: Organization, now: datetime) -> int:
    """The day before a request is due (or on the day), each person asked who has not
    answered or declined, once."""
    today = now.date()
    asks = FeedbackAsk.objects.filter(
        status=FeedbackAsk.Status.PENDING,
        person__status=MembershipStatus.ACTIVE,
        request__due_on__gte=today,
        request__due_on__lte=today + timedelta(days=1),
    ).select_related("person__user", "request__requester__user", "request__subject__user")
    return deliver_rows(asks, lambda page: [_ask_due(organization, ask) for ask in page])


def _ask_due(organization: Organization, ask: FeedbackAsk) -> Due:
    return Due(
        recipient=ask.person,
        kind="feedback-request-due",
        key=f"feedback-request-due:{ask.pk}",
        texts=partial(_ask_texts, ask),
        url=optional_reverse(
            "feedback:request_detail",
            org_slug=organization.slug,
            feedback_request_id=ask.request_id,
        ),
        subject=subject_of(ask),
    )


def _ask_texts(ask: FeedbackAsk) -> tuple[str, str]:
    request = ask.request
    names = {
        "name": request.requester.display_name,
        "subject": request.subject.display_name,
        "day": format_weekday(request.due_on),
    }
    title = gettext("%(name)s is waiting for your feedback") % names
    body = (
        gettext("They asked about themselves; the answer is due on %(day)s. You can also decline.")
        if request.is_about_requester
        else gettext(
            "They asked about %(subject)s; the answer is due on %(day)s. You can also decline."
        )
    ) % names
    return title, body
