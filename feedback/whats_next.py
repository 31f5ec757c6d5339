"""Home page "what's next" items for check-ins and feedback requests (fixed query count)."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from perfmgmt.localization import format_weekday
from perfmgmt.tenancy.models import Membership, MembershipStatus
from perfmgmt.web.links import optional_reverse
from perfmgmt.web.whats_next import Item, Priority, register

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
    day = {"day": format_weekday(period.due_on)}
    if today == period.due_on:
        title = _("Your check-in is due today")
    elif late:
        title = _("Your check-in was due on %(day)s") % day
    else:
        title = _("Your check-in is due on %(day)s") % day
    return [
        Item(
            title=title,
            detail=_("What went well, what's next, and what is in your way."),
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
            title=ngettext(
                "%(count)d request waits for your feedback",
                "%(count)d requests wait for your feedback",
                count,
            )
            % {"count": count},
            detail=_("Answer, or decline if you cannot say much."),
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
            title=ngettext(
                "%(count)d check-in waits for your review",
                "%(count)d check-ins wait for your review",
                count,
            )
            % {"count": count},
            detail=_("Read them and reply; your team sees that you did."),
            url=optional_reverse("feedback:checkin_reviews", org_slug=person.organization.slug),
            priority=Priority.HIGH,
        )
    ]


def items_for_person(person: Membership) -> list[Item]:
    return [*checkin_item(person), *requests_item(person), *reviews_item(person)]


register(items_for_person)
