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
from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.utils.translation import gettext, ngettext

from perfmgmt.localization import format_day
from perfmgmt.notifications.ledger import Due, deliver
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
    # The claim and the reminders commit together: a sweep that dies in between leaves
    # the dates unclaimed for the next one instead of claimed and never reminded.
    with transaction.atomic():
        return deliver(_dues(organization, _by_recipient(_claim(now)), now))


def _dues(
    organization: Organization,
    grouped: dict[Membership, list[PlanReviewDate]],
    now: datetime,
) -> Iterator[Due]:
    # Plans are few (people on an improvement plan); one readability check per recipient.
    for recipient, dates in grouped.items():
        readable = set(
            improvement_plan_list(actor=recipient)
            .filter(pk__in={review_date.plan_id for review_date in dates})
            .values_list("pk", flat=True)
        )
        shown = [review_date for review_date in dates if review_date.plan_id in readable]
        if shown:
            yield Due(
                recipient=recipient,
                kind=REVIEW_DUE,
                key=f"{REVIEW_DUE}:{local_date_key(now)}",
                texts=partial(_texts, shown),
                url=optional_reverse(
                    "reviews:improvement_plan",
                    org_slug=organization.slug,
                    improvement_plan_id=shown[0].plan_id,
                ),
            )


def _texts(dates: list[PlanReviewDate]) -> tuple[str, str]:
    title = ngettext(
        "An improvement plan review is due on %(day)s",
        "%(count)d improvement plan reviews are due, the first on %(day)s",
        len(dates),
    ) % {"count": len(dates), "day": format_day(dates[0].on)}
    names = ", ".join(sorted({review_date.plan.person.display_name for review_date in dates}))
    body = gettext("Plans of: %(names)s. The review is on your next 1:1's agenda.") % {
        "names": names
    }
    return title, body
