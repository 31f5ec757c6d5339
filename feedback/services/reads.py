"""The audit of manager content read through a reporting line.

Manager-only feedback and coaching records are read by managers because of where they
stand in the reporting line, which HR admins and owners change: each such read leaves a
trace, one entry per page, list or detail shown (never one per row), naming the records.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from perfmgmt.audit.models import AuditEntry
from perfmgmt.audit.services import audit_record
from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.policies import Actor, person_of

from ..models import CoachingRecord, FeedbackVisibility

READ_ACTION = "feedback.manager_content_read"


class ShownFeedback(Protocol):
    """What the audit reads of a feedback shown: a `Feedback`, or a row of a list
    (`selectors.feedback_of_rows`)."""

    @property
    def pk(self) -> int: ...
    @property
    def visibility(self) -> str: ...
    @property
    def giver_id(self) -> int: ...
    @property
    def recipient_id(self) -> int: ...


def manager_content_read(
    *,
    actor: Actor,
    feedback: Iterable[ShownFeedback] = (),
    coaching_records: Iterable[CoachingRecord] = (),
) -> AuditEntry | None:
    """Audit what of the shown items the actor reads as a manager, in one entry.

    Counted: manager-only feedback the actor did not give, and coaching records the actor
    neither wrote nor is the subject of. The entry is about the person those items concern
    when there is one (so it shows on that person's audit trail), else about the reader;
    `changes` names the feedback, the coaching records and the people. Nothing to count,
    nothing written. No query but the insert.
    """
    reader = person_of(actor)
    if reader is None:
        return None
    notes = [
        item
        for item in feedback
        if item.visibility == FeedbackVisibility.MANAGER_ONLY and item.giver_id != reader.pk
    ]
    records = [
        record
        for record in coaching_records
        if reader.pk not in (record.manager_id, record.person_id)
    ]
    if not notes and not records:
        return None
    people = {item.recipient_id for item in notes} | {record.person_id for record in records}
    # The entry is about a person by id (audit_record reads the target's kind and key).
    target = Membership(pk=next(iter(people))) if len(people) == 1 else reader
    return audit_record(
        actor=reader,
        action=READ_ACTION,
        target=target,
        changes={
            "feedback": [item.pk for item in notes],
            "coaching_records": [record.pk for record in records],
            "people": sorted(people),
        },
    )
