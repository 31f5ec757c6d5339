"""What two sides agree on a goal, and what happens when one side changes it afterwards.

Everything agreed is in `AGREED_TERMS` (plus the milestones): the title and description,
the type, the measure (unit, start, target), the dates, the weight and the expected
reward. Changing any of it on an agreed goal keeps the agreed version (a `GoalRevision`),
clears the agreement so the other side is asked again (the changer becomes the proposer),
and is audited with the values before and after. Progress (the current value, milestones
done, confidence) is not a term: updates never touch the agreement.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goals import locks, policies
from goals.models import Goal, GoalRevision, GoalStatus
from perfmgmt.audit.services import audit_record
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from perfmgmt.localization import reader_locale
from perfmgmt.notifications.models import subject_of
from perfmgmt.notifications.services import notifications_resolve, notify
from perfmgmt.tenancy.context import current_organization
from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.policies import Actor, person_of
from perfmgmt.web.links import optional_reverse

from .progress import refresh_progress

AGREED_TERMS = (
    "title",
    "description",
    "goal_type",
    "unit",
    "start_value",
    "target_value",
    "start_date",
    "due_date",
    "weight",
    "reward_text",
    "reward_amount",
)
_TEXT_FIELDS = frozenset({"title", "description", "unit", "reward_text"})


def plain(value: Any) -> Any:
    """A value as JSON keeps it in a revision or an audit entry."""
    if value is None or isinstance(value, str | int | bool):
        return value
    if isinstance(value, Goal):
        return value.pk
    return str(value)


def _comparable(name: str, value: Any) -> Any:
    if isinstance(value, Goal):
        return value.pk
    if name in _TEXT_FIELDS and isinstance(value, str):
        # Browsers send \r\n from a text area: the same words are the same term.
        return "\n".join(value.splitlines()).strip()
    return value


def effective_changes(goal: Goal, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The changes that change something (1000 and 1000.00 are the same amount)."""
    current = {
        name: goal.parent_id if name == "parent" else getattr(goal, name) for name in changes
    }
    return {
        name: value
        for name, value in changes.items()
        if _comparable(name, value) != _comparable(name, current[name])
    }


def revision_snapshot(goal: Goal) -> dict[str, Any]:
    """The terms of the goal as they are now, with who agreed them and when."""
    snapshot = {name: plain(getattr(goal, name)) for name in AGREED_TERMS}
    snapshot["milestones"] = list(
        goal.milestones.order_by("order", "id").values_list("title", flat=True)
    )
    snapshot["agreed_by"] = goal.agreed_by_id
    snapshot["agreed_by_name"] = goal.agreed_by.display_name if goal.agreed_by else ""
    snapshot["agreed_at"] = plain(goal.agreed_at)
    return snapshot


def terms_changed(changes: Collection[str], new_milestones: Sequence[str]) -> bool:
    return bool(new_milestones) or any(name in AGREED_TERMS for name in changes)


def agreement_reopen(*, actor: Actor, goal: Goal, agreed_version: dict[str, Any]) -> GoalRevision:
    """Keep the agreed version and clear the agreement: the changer proposes, the other
    side agrees again. The caller saves the goal, then calls `ask_other_side`."""
    membership = person_of(actor)
    revision = GoalRevision.objects.create(
        organization=goal.organization, goal=goal, changed_by=membership, previous=agreed_version
    )
    goal.agreed_by = None
    goal.agreed_at = None
    goal.proposed_by = membership
    goal.proposed_at = timezone.now()
    return revision


def ask_other_side(*, actor: Actor, goal: Goal, revision: GoalRevision) -> None:
    """Tell the one who agreed before (else the owner, else their manager) to agree again,
    when they may and it is not the changer."""
    candidates = [revision.previous.get("agreed_by"), goal.owner_person_id]
    if goal.owner_person is not None:
        candidates.append(goal.owner_person.manager_id)
    people = Membership.objects.select_related("user").in_bulk([c for c in candidates if c])
    for candidate in candidates:
        person = people.get(candidate) if candidate else None
        if person is None or person.pk == actor.pk or not person.can_sign_in:
            continue
        if policies.can_agree_goal(person, goal):
            organization = current_organization()
            with reader_locale(user=person.user, organization=organization):
                title = _("%(name)s changed the agreed goal “%(title)s”: agree it again") % {
                    "name": actor.display_name,
                    "title": goal.title,
                }
                body = _("What you agreed before is kept as an earlier version on the goal's page.")
            notify(
                recipient=person,
                kind="goal-agreement-asked",
                key=f"goal-agreement-asked:{goal.pk}:{revision.pk}",
                title=title,
                body=body,
                url=optional_reverse("goals:detail", org_slug=organization.slug, goal_id=goal.pk),
                subject=subject_of(goal),
            )
            return


def audit_agreed_goal_change(
    *,
    actor: Actor,
    goal: Goal,
    before: Mapping[str, Any],
    new_milestones: Sequence[str],
) -> None:
    """One entry per change of an agreed goal: each field with its value before and after
    (`before` holds the changed fields and the milestones as they were)."""
    recorded: dict[str, Any] = {
        name: [value, plain(getattr(goal, name))]
        for name, value in before.items()
        if name != "milestones"
    }
    if new_milestones:
        recorded["milestones"] = [before["milestones"], [*before["milestones"], *new_milestones]]
    changed = {name for name in before if name != "milestones"}
    action = (
        "goals.agreed_terms_changed"
        if terms_changed(changed, new_milestones)
        else "goals.agreed_goal_changed"
    )
    audit_record(actor=actor, action=action, target=goal, changes=recorded)


def _check_reward_on_agreement(
    actor: Actor, goal: Goal, reward_text: str | None, reward_amount: Decimal | None
) -> None:
    if reward_amount is not None and reward_amount < 0:
        raise DomainError(
            _("A reward cannot be negative."), fields={"reward_amount": [_("Not negative.")]}
        )
    asked = {"reward_text": reward_text, "reward_amount": reward_amount}
    written = effective_changes(goal, {k: v for k, v in asked.items() if v is not None})
    if written and not policies.can_write_reward_when_agreeing(actor, goal):
        message = _("Agreeing accepts the reward as proposed; change the goal to propose another.")
        raise DomainError(message, fields={name: [message] for name in written})


@transaction.atomic
def goal_agree(
    *,
    actor: Actor,
    goal: Goal,
    reward_text: str | None = None,
    reward_amount: Decimal | None = None,
    expected_version: int | None = None,
) -> Goal:
    """The other side agrees a proposed goal: records who and when, and activates a draft.

    The manager's side may write the expected reward (text and optional amount) at the same
    moment, so achievement and reward are agreed up front; the person whose goal it is
    accepts the reward as proposed (another reward is a change of the goal, which asks the
    other side). Agreeing an agreed goal changes nothing. `expected_version` is the
    `Goal.version` the agreeing side read: if the goal changed since, nothing is agreed
    (`ConflictError`, a 409) and they read it again.
    """
    goal = locks.lock_goal(goal.pk, related=["proposed_by__user", "owner_person__user"])
    if goal.is_agreed:
        return goal
    if not policies.can_agree_goal(actor, goal):
        raise PermissionDeniedError(_("The other side of this goal agrees it, not the proposer."))
    if expected_version is not None and expected_version != goal.version:
        raise ConflictError(
            _("This goal changed since you opened it: read it again, then agree it."),
            fields={
                "version": [
                    _("The goal is at version %(version)s now.") % {"version": goal.version}
                ]
            },
        )
    _check_reward_on_agreement(actor, goal, reward_text, reward_amount)
    if reward_text is not None:
        goal.reward_text = reward_text
    if reward_amount is not None:
        goal.reward_amount = reward_amount
    goal.agreed_by = person_of(actor)
    goal.agreed_at = timezone.now()
    if goal.status == GoalStatus.DRAFT:
        goal.status = GoalStatus.ACTIVE
    goal.save()
    audit_record(
        actor=actor,
        action="goals.agreed",
        target=goal,
        changes={"reward_text": goal.reward_text, "reward_amount": str(goal.reward_amount or "")},
    )
    notifications_resolve(
        subject=subject_of(goal), kinds=("goal-agreement-asked",), by=person_of(actor)
    )
    refresh_progress(goal.pk)
    return goal
