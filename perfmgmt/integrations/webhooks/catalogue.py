"""The fixed catalogue of webhook event types.

Each event names the resource it is about, the attributes of that resource a payload
carries (ids and a minimal resource: never free text such as notes, answers or comments,
and never who wrote an anonymous piece), and the API scope a key needs to read that
resource. An endpoint registered by an API key may subscribe only to events whose scope the
key holds, so a webhook never tells a system more than the API would.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from perfmgmt.api.models import Scope


@dataclass(frozen=True)
class EventType:
    name: str
    label: str | Promise
    resource: str
    fields: tuple[str, ...]
    scope: str


_MEMBER = ("external_id", "display_name", "job_title", "team_id", "manager_id", "role", "status")
_GOAL = (
    "owner_kind",
    "owner_person_id",
    "owner_team_id",
    "parent_id",
    "title",
    "goal_type",
    "status",
    "start_date",
    "due_date",
)
_CHECKIN = ("person_id", "period_start", "period_end", "submitted_at")
_REVIEW = ("cycle_id", "reviewee_id", "released_at", "acknowledged_at")
_PHASE = ("cycle_id", "kind", "opens_at", "closes_at")
# What payroll needs of an approved reward; never its reason or the decision's note.
_REWARD = ("person_id", "kind", "amount", "currency", "budget_id", "decided_at")

EVENT_TYPES: tuple[EventType, ...] = (
    EventType("member.created", _("A person was added"), "member", _MEMBER, Scope.MEMBERS_READ),
    EventType(
        "member.updated", _("A person's record changed"), "member", _MEMBER, Scope.MEMBERS_READ
    ),
    EventType("member.deactivated", _("A person left"), "member", _MEMBER, Scope.MEMBERS_READ),
    EventType("goal.created", _("A goal was proposed"), "goal", _GOAL, Scope.GOALS_READ),
    EventType("goal.completed", _("A goal was completed"), "goal", _GOAL, Scope.GOALS_READ),
    # API keys read no check-in (they are personal): the event says only who submitted
    # theirs for which period, which a key reading the directory may know.
    EventType(
        "checkin.submitted", _("A check-in was submitted"), "checkin", _CHECKIN, Scope.MEMBERS_READ
    ),
    EventType("review.released", _("A review was released"), "review", _REVIEW, Scope.REVIEWS_READ),
    EventType(
        "review.acknowledged",
        _("A review was acknowledged"),
        "review",
        _REVIEW,
        Scope.REVIEWS_READ,
    ),
    EventType(
        "cycle.phase_opened", _("A review phase opened"), "cycle_phase", _PHASE, Scope.REVIEWS_READ
    ),
    EventType(
        "cycle.phase_closed", _("A review phase closed"), "cycle_phase", _PHASE, Scope.REVIEWS_READ
    ),
    EventType("reward.approved", _("A reward was approved"), "reward", _REWARD, Scope.REWARDS_READ),
)

BY_NAME: dict[str, EventType] = {event.name: event for event in EVENT_TYPES}
NAMES: tuple[str, ...] = tuple(BY_NAME)


def event_type(name: str) -> EventType:
    """The catalogue's entry; an unknown name is a programming error (ValueError)."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise ValueError(f"Unknown webhook event type: {name!r}") from None


def choices() -> list[tuple[str, str | Promise]]:
    return [(event.name, event.label) for event in EVENT_TYPES]
