"""Every write to 1:1s. Keyword-only arguments, the acting membership first.

Concurrency: talking points, action items, private notes and a meeting's shared notes carry
a `version`. An edit that names the version it started from is refused with a 409 when
somebody saved in between, instead of silently overwriting their words. Adding points takes
a row lock on the meeting only to number the new point, so two people adding at once both
keep theirs.

Undiscussed talking points carry over to the series' next meeting; `meetings` explains how.
"""

from ._common import MAX_NOTES, MAX_TEXT, STALE_MESSAGES
from .action_items import action_item_create, action_item_update, active_member
from .meetings import (
    meeting_cancel,
    meeting_complete,
    meeting_reschedule,
    meeting_schedule,
    meeting_update_notes,
    next_occurrence,
)
from .private_notes import private_note_add, private_note_update
from .series import series_start, series_update
from .talking_points import talking_point_add, talking_point_delete, talking_point_update

__all__ = [
    "MAX_NOTES",
    "MAX_TEXT",
    "STALE_MESSAGES",
    "action_item_create",
    "action_item_update",
    "active_member",
    "meeting_cancel",
    "meeting_complete",
    "meeting_reschedule",
    "meeting_schedule",
    "meeting_update_notes",
    "next_occurrence",
    "private_note_add",
    "private_note_update",
    "series_start",
    "series_update",
    "talking_point_add",
    "talking_point_delete",
    "talking_point_update",
]
