"""Action items agreed in a meeting: creating, editing and ticking them, and their owners."""

from __future__ import annotations

from datetime import date
from types import EllipsisType

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perfmgmt.audit.services import audit_record
from perfmgmt.errors import DomainError, NotFoundError
from perfmgmt.notifications.models import subject_of
from perfmgmt.notifications.services import notifications_resolve
from perfmgmt.tenancy.models import Membership, MembershipStatus
from perfmgmt.tenancy.policies import Actor, require_person

from .. import policies
from ..models import ActionItem, Meeting, MeetingStatus, OneOnOneSeries
from ._common import (
    KEYS_CANNOT_WRITE,
    _check_due_date,
    _check_version,
    _clean_text,
    _require,
    _save,
)


def action_item_create(
    *,
    actor: Actor,
    meeting: Meeting,
    owner: Membership,
    text: str,
    due_date: date | None = None,
) -> ActionItem:
    person = require_person(actor, str(KEYS_CANNOT_WRITE))
    _require(policies.can_change_meeting(person, meeting))
    series = meeting.series
    if owner.pk not in series.participant_ids():
        raise DomainError(
            _("Some fields are not valid."),
            fields={"owner": [_("The owner is one of the two people in this 1:1.")]},
        )
    _check_due_date(due_date, agreed_on=meeting.scheduled_for)
    item = ActionItem(
        series=series,
        meeting=meeting,
        owner=owner,
        text=_clean_text(text, field="text"),
        due_date=due_date,
        created_by=person,
    )
    _save(item)
    changes = {
        "meeting": meeting.pk,
        "owner": owner.pk,
        "due_date": due_date and due_date.isoformat(),
    }
    audit_record(
        actor=person, action="one_on_one.action_item_created", target=item, changes=changes
    )
    return item


def _current_meeting(series: OneOnOneSeries) -> Meeting:
    """Where an item ticked outside a meeting page counts as done: the next upcoming
    meeting, or the latest one."""
    upcoming = (
        Meeting.objects.filter(series=series, status=MeetingStatus.UPCOMING)
        .order_by("scheduled_for")
        .first()
    )
    return upcoming or Meeting.objects.filter(series=series).order_by("-scheduled_for").first()  # type: ignore[return-value]


def action_item_update(
    *,
    actor: Actor,
    item: ActionItem,
    expected_version: int | None = None,
    text: str | None = None,
    owner: Membership | None = None,
    due_date: date | EllipsisType | None = ...,
    done: bool | None = None,
    in_meeting: Meeting | None = None,
) -> ActionItem:
    """Edit or tick an action item. Ticking twice keeps the first time; text edits naming
    an old version are refused (409)."""
    person = require_person(actor, str(KEYS_CANNOT_WRITE))
    _require(policies.can_change_action_item(person, item))
    if in_meeting is not None and in_meeting.series_id != item.series_id:
        raise NotFoundError(_("No such meeting."))
    with transaction.atomic():
        locked = (
            ActionItem.objects.select_for_update(of=("self", "series"))
            .select_related("series", "meeting")
            .get(pk=item.pk)
        )
        fields: list[str] = []
        if text is not None or owner is not None or not isinstance(due_date, EllipsisType):
            _check_version(locked.version, expected_version, what="action item")
        if text is not None:
            locked.text = _clean_text(text, field="text")
            fields.append("text")
        if owner is not None:
            if owner.pk not in locked.series.participant_ids():
                raise DomainError(
                    _("Some fields are not valid."),
                    fields={"owner": [_("The owner is one of the two people in this 1:1.")]},
                )
            locked.owner = owner
            fields.append("owner")
        if not isinstance(due_date, EllipsisType) and due_date != locked.due_date:
            _check_due_date(due_date, agreed_on=locked.meeting.scheduled_for)
            locked.due_date = due_date
            fields.append("due_date")
        if done is True and locked.done_at is None:
            locked.done_at = timezone.now()
            locked.done_in = in_meeting or _current_meeting(locked.series)
            fields += ["done_at", "done_in"]
            notifications_resolve(
                subject=subject_of(locked), kinds=("action-item-overdue",), by=person
            )
        elif done is False and locked.done_at is not None:
            locked.done_at, locked.done_in = None, None
            fields += ["done_at", "done_in"]
        if fields:
            locked.version += 1
            _save(locked, update_fields=[*fields, "version", "updated_at"])
        if "done_at" in fields:
            done_now = locked.done_at is not None
            action = (
                "one_on_one.action_item_done" if done_now else "one_on_one.action_item_reopened"
            )
            audit_record(actor=person, action=action, target=locked)
    return locked


def active_member(member_id: int | None) -> Membership | None:
    """A person of the active organization who has not left, for owner fields."""
    if member_id is None:
        return None
    return (
        Membership.objects.exclude(status=MembershipStatus.LEFT)
        .select_related("user")
        .filter(pk=member_id)
        .first()
    )
