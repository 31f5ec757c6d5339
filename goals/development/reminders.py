"""Development plan reminders, run by the periodic sweep (see perfmgmt/notifications/sweep.py).

- An action past its due date (not done or cancelled, plan not closed) reminds its owner
  once per due date: moving the date arms it again.
- A plan waiting for agreement for a week reminds the person's direct manager once per
  submission.

`now` is already on the organization's clocks (the sweep passes `local_now`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext

from perfmgmt.localization import format_day
from perfmgmt.notifications.ledger import Due, deliver_rows
from perfmgmt.notifications.models import subject_of
from perfmgmt.notifications.sweep import reminder
from perfmgmt.tenancy.models import MembershipStatus, Organization

from .models import ActionStatus, DevelopmentAction, DevelopmentPlan, PlanStatus

AGREEMENT_NUDGE_AFTER = timedelta(days=7)


def _plan_url(organization: Organization, plan_id: int) -> str:
    try:
        return reverse(
            "development:plan", kwargs={"org_slug": organization.slug, "plan_id": plan_id}
        )
    except NoReverseMatch:
        return reverse("notifications:inbox", kwargs={"org_slug": organization.slug})


@reminder("development-action-overdue")
def development_action_overdue(organization: Organization, now: datetime) -> int:
    today = now.date()
    overdue = (
        DevelopmentAction.objects.filter(
            due_date__lt=today,
            status__in=[ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS],
            owner__status=MembershipStatus.ACTIVE,
        )
        .exclude(plan__status=PlanStatus.CLOSED)
        .select_related("owner__user", "plan")
    )
    return deliver_rows(overdue, lambda page: [_action_due(organization, a) for a in page])


def _action_due(organization: Organization, action: DevelopmentAction) -> Due:
    assert action.due_date is not None
    return Due(
        recipient=action.owner,
        kind="development-action-overdue",
        key=f"development-action-overdue:{action.pk}:{action.due_date.isoformat()}",
        texts=partial(_action_texts, action),
        url=_plan_url(organization, action.plan_id),
        subject=subject_of(action),
    )


def _action_texts(action: DevelopmentAction) -> tuple[str, str]:
    assert action.due_date is not None
    title = gettext("“%(title)s” was due on %(day)s") % {
        "title": action.title,
        "day": format_day(action.due_date),
    }
    return title, gettext("Mark it done, or move its date in the development plan.")


@reminder("development-plan-waiting")
def development_plan_waiting(organization: Organization, now: datetime) -> int:
    waiting = DevelopmentPlan.objects.filter(
        status=PlanStatus.SUBMITTED,
        submitted_at__lte=now - AGREEMENT_NUDGE_AFTER,
        person__manager__status=MembershipStatus.ACTIVE,
    ).select_related("person__user", "person__manager__user")
    return deliver_rows(waiting, lambda page: [_plan_due(organization, plan) for plan in page])


def _plan_due(organization: Organization, plan: DevelopmentPlan) -> Due:
    manager = plan.person.manager
    assert manager is not None
    assert plan.submitted_at is not None
    return Due(
        recipient=manager,
        kind="development-plan-waiting",
        key=f"development-plan-waiting:{plan.pk}:{plan.submitted_at.timestamp():.0f}",
        texts=partial(_plan_texts, plan),
        url=_plan_url(organization, plan.pk),
        subject=subject_of(plan),
    )


def _plan_texts(plan: DevelopmentPlan) -> tuple[str, str]:
    assert plan.submitted_at is not None
    title = gettext("%(name)s's development plan waits for your agreement") % {
        "name": plan.person.display_name
    }
    body = gettext("Submitted on %(day)s. Comment on it or agree it.") % {
        "day": format_day(plan.submitted_at)
    }
    return title, body
