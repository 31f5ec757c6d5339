"""Where the check-in and feedback pages and API resources are mounted."""

from perfmgmt.api.routes import api_routes
from perfmgmt.web.routes import pages

from . import api

pages("o/<slug:org_slug>/", "feedback.urls")

api_routes("checkins", api.CheckInViewSet, basename="checkin")
api_routes("feedback", api.FeedbackViewSet, basename="feedback")
api_routes("feedback-requests", api.FeedbackRequestViewSet, basename="feedback-request")
api_routes("coaching-records", api.CoachingRecordViewSet, basename="coaching-record")

from .api_exports import CheckInCoverageExportViewSet  # noqa: E402

api_routes(
    "exports/checkin-coverage", CheckInCoverageExportViewSet, basename="export-checkin-coverage"
)
