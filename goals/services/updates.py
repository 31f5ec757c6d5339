"""Goal updates: check-ins on one goal, kept as its history."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goals import locks, policies
from goals.models import Confidence, Goal, GoalUpdate, Milestone
from perfmgmt.errors import DomainError, PermissionDeniedError
from perfmgmt.notifications.models import subject_of
from perfmgmt.notifications.services import notifications_resolve
from perfmgmt.tenancy.policies import Actor, person_of

from .progress import refresh_progress


@transaction.atomic
def goal_update_post(
    *,
    actor: Actor,
    goal: Goal,
    confidence: str,
    value: Decimal | None = None,
    done_milestones: Collection[int] | None = None,
    comment: str = "",
) -> GoalUpdate:
    """Record a check-in on a goal: a new current value and/or which milestones are done,
    a confidence level and a comment. Refreshes the goal's and its parents' progress.

    `done_milestones` is the complete set of done milestone ids (unlisted ones become not
    done); None leaves the milestones as they are.
    """
    if not policies.can_post_update(actor, goal):
        raise PermissionDeniedError(_("You may not post updates on this goal."))
    goal = locks.lock_goal(goal.pk)
    if not goal.accepts_updates:
        raise DomainError(
            _("This goal is %(status)s; reopen it to post updates.")
            % {"status": goal.get_status_display().lower()}
        )
    if confidence not in Confidence.values:
        raise DomainError(
            _("Choose a confidence level."), fields={"confidence": [_("Choose one.")]}
        )
    if value is not None and not goal.has_measure:
        raise DomainError(
            _("This goal has no measure."),
            fields={"value": [_("This goal has no measure to update.")]},
        )
    if value is not None and abs(value) >= Decimal("1e12"):
        raise DomainError(_("The value is too large."), fields={"value": [_("Too large.")]})
    now = timezone.now()
    milestones = list(goal.milestones.all())
    if done_milestones is not None:
        known = {milestone.pk for milestone in milestones}
        if set(done_milestones) - known:
            raise DomainError(
                _("Unknown milestone."), fields={"milestones": [_("Not a milestone of this goal.")]}
            )
        changed = []
        for milestone in milestones:
            done = milestone.pk in done_milestones
            if done != milestone.done:
                milestone.done = done
                milestone.done_at = now if done else None
                changed.append(milestone)
        Milestone.objects.bulk_update(changed, ["done", "done_at"])
    if value is not None:
        goal.current_value = value
    goal.last_confidence = confidence
    goal.last_update_at = now
    goal.save(update_fields=["current_value", "last_confidence", "last_update_at", "updated_at"])
    notifications_resolve(
        subject=subject_of(goal), kinds=("goal-not-updated",), by=person_of(actor)
    )
    refresh_progress(goal.pk)
    goal.refresh_from_db(fields=["progress"])
    return GoalUpdate.objects.create(
        organization=goal.organization,
        goal=goal,
        author=person_of(actor),
        value=value,
        milestones=[{"id": m.pk, "title": m.title, "done": m.done} for m in milestones],
        confidence=confidence,
        comment=comment.strip(),
        progress=goal.progress,
        created_at=now,
    )


@transaction.atomic
def goal_update_edit(
    *, actor: Actor, update: GoalUpdate, comment: str | None = None, confidence: str | None = None
) -> GoalUpdate:
    """The author corrects the comment or confidence of their update (values stay history)."""
    if actor.is_api_client or update.author_id != actor.pk:
        raise PermissionDeniedError(_("Only the author changes an update."))
    if confidence is not None:
        if confidence not in Confidence.values:
            raise DomainError(
                _("Choose a confidence level."), fields={"confidence": [_("Choose one.")]}
            )
        update.confidence = confidence
        latest = GoalUpdate.objects.filter(goal_id=update.goal_id).order_by("-created_at", "-id")
        if latest.values_list("pk", flat=True).first() == update.pk:
            Goal.objects.filter(pk=update.goal_id).update(last_confidence=confidence)
    if comment is not None:
        update.comment = comment.strip()
    update.save(update_fields=["comment", "confidence"])
    return update
