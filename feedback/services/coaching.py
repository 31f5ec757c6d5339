"""Coaching records: a manager's notes of a coaching conversation."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from perfmgmt.errors import DomainError, PermissionDeniedError, full_clean_or_raise
from perfmgmt.notifications.services import notify
from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.policies import Actor, require_person

from .. import policies
from ..models import (
    CoachingRecord,
)
from ._common import _check_length, _url, for_reader


def _clean_coaching(record: CoachingRecord) -> None:
    record.topic = record.topic.strip()
    _check_length(observations=record.observations, agreed=record.agreed)
    if record.follow_up_on and record.follow_up_on < record.held_on:
        raise DomainError(
            _("The follow-up comes after the conversation."),
            fields={"follow_up_on": [_("Choose a date on or after the conversation.")]},
        )
    full_clean_or_raise(record, exclude=["manager", "person"])


def coaching_record_create(
    *,
    actor: Actor,
    person: Membership,
    held_on: date,
    topic: str,
    observations: str = "",
    agreed: str = "",
    follow_up_on: date | None = None,
) -> CoachingRecord:
    """A manager (of the person's chain) records a coaching conversation."""
    manager = require_person(actor, _("Coaching records are written by managers."))
    if not policies.can_write_coaching_record(manager, person):
        raise PermissionDeniedError(_("Only the person's managers write coaching records."))
    record = CoachingRecord(
        manager=manager,
        person=person,
        held_on=held_on,
        topic=topic,
        observations=observations.strip(),
        agreed=agreed.strip(),
        follow_up_on=follow_up_on,
    )
    _clean_coaching(record)
    record.save()
    with for_reader(person):
        title = _("%(name)s wrote down your coaching conversation") % {"name": manager.display_name}
    notify(
        recipient=person,
        kind="coaching-record",
        key=f"coaching-record:{record.pk}",
        title=title,
        body=record.topic,
        url=_url(
            "feedback:coaching_detail",
            org_slug=person.organization.slug,
            coaching_record_id=record.pk,
        ),
        email=False,
    )
    return record


COACHING_FIELDS = ("held_on", "topic", "observations", "agreed", "follow_up_on")


def coaching_record_update(
    *, actor: Actor, record: CoachingRecord, **changes: Any
) -> CoachingRecord:
    """The author changes the record; only the fields given change."""
    if not policies.can_edit_coaching_record(actor, record):
        raise PermissionDeniedError(_("Only the manager who wrote it can change this record."))
    unknown = set(changes) - set(COACHING_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    for name, value in changes.items():
        setattr(record, name, value.strip() if isinstance(value, str) else value)
    _clean_coaching(record)
    record.save()
    return record
