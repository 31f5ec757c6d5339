"""Home page "what's next" items for check-ins and feedback requests (fixed query count)."""

from __future__ import annotations

from datetime import timedelta

from perfmgmt.tenancy.models import Membership, MembershipStatus
from perfmgmt.web.links import optional_reverse
from perfmgmt.web.whats_next import Item, Priority, plural, register

from . import selectors
from .models import CheckIn, FeedbackAsk


def checkin_item(person: Membership) -> list[Item]:
    """This period's check-in, from the day before it is due until it is submitted."""
    if person.status != MembershipStatus.ACTIVE:
        return []
    today = selectors.local_today(person.organization)
    existing = selectors.checkin_covering(person=person, day=today)
    if existing is not None and existing.status != CheckIn.Status.DRAFT:
        return []
    period = selectors.current_period(person=person, day=today)
    if today < period.due_on - timedelta(days=1):
        return []
    cadences = selectors.cadences_by_team()
    if period.start < selectors.reminded_from(person, person.organization.zone, cadences):
        return []  # a period that began before they joined or started is not theirs
    late = today > period.due_on
    when = "today" if today == period.due_on else f"on {period.due_on:%A %d %B}"
    return [
        Item(
            title=f"Your check-in {'was' if late else 'is'} due {when}",
            detail="What went well, what's next, and what is in your way.",
            url=optional_reverse("feedback:checkin_mine", org_slug=person.organization.slug),
            priority=Priority.URGENT if late else Priority.HIGH,
        )
    ]


def requests_item(person: Membership) -> list[Item]:
    count = FeedbackAsk.objects.filter(person=person, status=FeedbackAsk.Status.PENDING).count()
    if not count:
        return []
    return [
        Item(
            title=f"{plural(count, 'request waits', 'requests wait')} for your feedback",
            detail="Answer, or decline if you cannot say much.",
            url=optional_reverse("feedback:request_list", org_slug=person.organization.slug),
            priority=Priority.HIGH,
        )
    ]


def reviews_item(person: Membership) -> list[Item]:
    count = selectors.checkins_waiting_for_review(actor=person).count()
    if not count:
        return []
    return [
        Item(
            title=f"{plural(count, 'check-in waits', 'check-ins wait')} for your review",
            detail="Read them and reply; your team sees that you did.",
            url=optional_reverse("feedback:checkin_reviews", org_slug=person.organization.slug),
            priority=Priority.HIGH,
        )
    ]


def items_for_person(person: Membership) -> list[Item]:
    return [*checkin_item(person), *requests_item(person), *reviews_item(person)]


register(items_for_person)
