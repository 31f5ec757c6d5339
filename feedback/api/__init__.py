"""Check-ins, feedback, feedback requests and coaching records over the REST API.

/api/v1/orgs/<org_slug>/checkins/, feedback/, feedback-requests/, coaching-records/.
Thin: parse input, call one selector or service, serialize. What a person sees is decided by
`feedback/selectors/` + `policies.py`, shared with the pages; an object the caller may not
see is a 404, exactly like another organization's. This is personal data: API keys
(systems) get 403 on every call here, after the object lookup (so a foreign id stays 404).

    _schema.py            the schema they share; what API keys are told
    checkins.py           check-ins (+ review)
    feedback.py           feedback
    feedback_requests.py  feedback requests (+ answer, decline)
    coaching.py           coaching records
"""

from ._schema import PERSONAL
from .checkins import CheckInFilter, CheckInViewSet
from .coaching import CoachingRecordFilter, CoachingRecordViewSet
from .feedback import FeedbackFilter, FeedbackViewSet
from .feedback_requests import FeedbackRequestFilter, FeedbackRequestViewSet

__all__ = [
    "PERSONAL",
    "CheckInFilter",
    "CheckInViewSet",
    "CoachingRecordFilter",
    "CoachingRecordViewSet",
    "FeedbackFilter",
    "FeedbackRequestFilter",
    "FeedbackRequestViewSet",
    "FeedbackViewSet",
]
