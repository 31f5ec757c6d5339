"""Reminders of improvement plan reviews (registered through reviews/reminders.py).

A review date of an approved plan is reminded once, when it is two days away or nearer on
the organization's calendar: the person and their manager each get one notification a
local day (key `improvement-plan-review-due:<day>`) listing every review of theirs. The
sweep claims the dates it reminds (`reminded_at`, under row locks skipped by a second
sweep), so a date is never reminded twice; what a recipient is told about is read through
the plan selector with them as the reader.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext, ngettext

from perfmgmt.localization import format_day, reader_locale
from perfmgmt.notifications.services import notify
from perfmgmt.notifications.sweep import local_date_key, reminder
from perfmgmt.tenancy.models import Membership, Organization
from perfmgmt.web.links import optional_reverse

from .models import PlanReviewDate, PlanStatus
from .selectors.improvement_plans import improvement_plan_list

REVIEW_DUE = "improvement-plan-review-due"
DAYS_AHEAD = 2


def _claim(now: datetime) -> list[PlanReviewDate]:
    """The due review dates not reminded yet, marked reminded by this sweep only."""
    today = now.date()
    with transaction.atomic():
        ids = list(
            PlanReviewDate.objects.filter(
                reminded_at=None,
                on__range=(today, today + timedelta(days=DAYS_AHEAD)),
                plan__status=PlanStatus.APPROVED,
            )
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True)
        )
        PlanReviewDate.objects.filter(pk__in=ids).update(reminded_at=now)
    return list(
        PlanReviewDate.objects.filter(pk__in=ids)
        .select_related("plan__person__user", "plan__person__manager__user")
        .order_by("on", "id")
    )


def _by_recipient(dates: list[PlanReviewDate]) -> dict[Membership, list[PlanReviewDate]]:
    grouped: dict[Membership, list[PlanReviewDate]] = defaultdict(list)
    for review_date in dates:
        person = review_date.plan.person
        for recipient in (person, person.manager):
            if recipient is not None and recipient.can_sign_in:
                grouped[recipient].append(review_date)
    return grouped


@reminder(REVIEW_DUE)
def improvement_plan_reviews_due(organization: Organization, now: datetime) -> int:
    """Remind the person and their manager of plan reviews in the next two days."""
    sent = 0
    for recipient, dates in _by_recipient(_claim(now)).items():
        readable = set(
            improvement_plan_list(actor=recipient)
            .filter(pk__in={review_date.plan_id for review_date in dates})
            .values_list("pk", flat=True)
        )
        shown = [review_date for review_date in dates if review_date.plan_id in readable]
        if shown:
            sent += _remind(organization, recipient, shown, now)
    return sent


def _remind(
    organization: Organization, recipient: Membership, dates: list[PlanReviewDate], now: datetime
) -> int:
    first = dates[0]
    with reader_locale(user=recipient.user, organization=organization):
        title = ngettext(
            "An improvement plan review is due on %(day)s",
            "%(count)d improvement plan reviews are due, the first on %(day)s",
            len(dates),
        ) % {"count": len(dates), "day": format_day(first.on)}
        names = ", ".join(sorted({review_date.plan.person.display_name for review_date in dates}))
        body = gettext("Plans of: %(names)s. The review is on your next 1:1's agenda.") % {
            "names": names
        }
    _, created = notify(
        recipient=recipient,
        kind=REVIEW_DUE,
        key=f"{REVIEW_DUE}:{local_date_key(now)}",
        title=title,
        body=body,
        url=optional_reverse(
            "reviews:improvement_plan",
            org_slug=organization.slug,
            improvement_plan_id=first.plan_id,
        ),
    )
    return int(created)
