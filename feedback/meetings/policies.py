"""Who may see or change what in 1:1s.

A 1:1 belongs to its two sides. Nobody else reads it: not HR, not the managers above
either side (a skip-level manager has their own skip-level 1:1 instead), and API keys only
with the `one_on_ones:read` scope and never private notes. A private note is read and
changed by its author alone. `visible_series_filter` (a database filter for lists) and
`can_view_series` (one series in Python) say the same rule; tests hold them together.
"""

from __future__ import annotations

from django.db.models import Q

from perfmgmt.api.models import Scope
from perfmgmt.tenancy.models import Membership, MembershipStatus
from perfmgmt.tenancy.policies import Actor, has_reports_here

from .models import ActionItem, Meeting, OneOnOneSeries, PrivateNote, TalkingPoint

READ_SCOPE = Scope.ONE_ON_ONES_READ


def _is_participant(actor: Actor, series: OneOnOneSeries) -> bool:
    return not actor.is_api_client and actor.pk in series.participant_ids()


def visible_series_filter(actor: Actor, prefix: str = "") -> Q:
    """The series this actor may read, as a filter; `prefix` reaches them from a child row."""
    if actor.is_api_client:
        return Q() if actor.has_scope(READ_SCOPE) else Q(pk__in=[])
    return Q(**{f"{prefix}manager": actor.pk}) | Q(**{f"{prefix}report": actor.pk})


def can_view_series(actor: Actor, series: OneOnOneSeries) -> bool:
    if actor.is_api_client:
        return actor.has_scope(READ_SCOPE)
    return _is_participant(actor, series)


def can_start_series_with(actor: Actor, other: Membership) -> bool:
    """Anyone may start an ad-hoc or skip-level 1:1 with anyone still in the organization."""
    if actor.is_api_client:
        return False
    return actor.pk != other.pk and other.status != MembershipStatus.LEFT


def can_change_series(actor: Actor, series: OneOnOneSeries) -> bool:
    """Both sides run the 1:1 together: cadence, scheduling, agenda, notes and actions."""
    return _is_participant(actor, series)


def can_change_meeting(actor: Actor, meeting: Meeting) -> bool:
    return can_change_series(actor, meeting.series)


def can_edit_talking_point(actor: Actor, point: TalkingPoint) -> bool:
    """Either side may edit, tick and reorder any point of the shared agenda."""
    return can_change_meeting(actor, point.meeting)


def can_change_action_item(actor: Actor, item: ActionItem) -> bool:
    return can_change_series(actor, item.series)


def can_read_private_note(actor: Actor, note: PrivateNote) -> bool:
    return not actor.is_api_client and note.author_id == actor.pk


can_change_private_note = can_read_private_note


def has_a_team(actor: Actor) -> bool:
    """Someone with at least one report still here sees the team page."""
    return has_reports_here(actor)
