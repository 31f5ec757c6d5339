"""Every write to check-ins, cadences, feedback, feedback requests and coaching records.

Services take the acting membership first and keyword-only arguments, check the policy,
validate, and raise `DomainError` (400), `ConflictError` (409) or `PermissionDeniedError`
(403) with field messages. Doing the same state change twice is a no-op.
"""

from .cadence import cadence_delete, cadence_save
from .checkins import checkin_current, checkin_review, checkin_submit, checkin_update
from .coaching import COACHING_FIELDS, coaching_record_create, coaching_record_update
from .feedback import (
    feedback_give,
    feedback_request_answer,
    feedback_request_create,
    feedback_request_decline,
    feedback_request_update,
    feedback_update,
)
from .reads import manager_content_read

__all__ = [
    "COACHING_FIELDS",
    "cadence_delete",
    "cadence_save",
    "checkin_current",
    "checkin_review",
    "checkin_submit",
    "checkin_update",
    "coaching_record_create",
    "coaching_record_update",
    "feedback_give",
    "feedback_request_answer",
    "feedback_request_create",
    "feedback_request_decline",
    "feedback_request_update",
    "feedback_update",
    "manager_content_read",
]
