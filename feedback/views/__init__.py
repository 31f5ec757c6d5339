"""Pages for check-ins, feedback, feedback requests and coaching records.

Thin views over the same services and selectors as the API. An object the person may not
see is a 404 (exactly like another organization's); a failed save shows the form again,
filled in, with the service's messages on the right fields.
"""

from .checkins import (
    CadenceSettingsView,
    CheckInDetailView,
    CheckInReviewsView,
    MyCheckInView,
)
from .coaching import (
    CoachingDetailView,
    CoachingPersonView,
)
from .feedback import (
    FeedbackAudienceView,
    FeedbackDetailView,
    FeedbackGivenView,
    FeedbackListView,
    FeedbackTeamView,
    GiveFeedbackView,
    RequestDeclineView,
    RequestDetailView,
    RequestListView,
    RequestNewView,
    RequestPageView,
)

__all__ = [
    "CadenceSettingsView",
    "CheckInDetailView",
    "CheckInReviewsView",
    "CoachingDetailView",
    "CoachingPersonView",
    "FeedbackAudienceView",
    "FeedbackDetailView",
    "FeedbackGivenView",
    "FeedbackListView",
    "FeedbackTeamView",
    "GiveFeedbackView",
    "MyCheckInView",
    "RequestDeclineView",
    "RequestDetailView",
    "RequestListView",
    "RequestNewView",
    "RequestPageView",
]
