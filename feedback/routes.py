"""Where the check-in, feedback, 1:1 and team pages and API resources are mounted."""

from perfmgmt.api.routes import api_routes
from perfmgmt.web.routes import pages

from . import api as feedback_api
from .meetings import api as meetings_api

pages("o/<slug:org_slug>/", "feedback.urls")
pages("o/<slug:org_slug>/one-on-ones/", "feedback.meetings.urls")
pages("o/<slug:org_slug>/team/", "feedback.meetings.team_urls")

api_routes("one-on-ones/series", meetings_api.SeriesViewSet, basename="one-on-one-series")
api_routes("one-on-ones/meetings", meetings_api.MeetingViewSet, basename="meeting")
api_routes("one-on-ones/talking-points", meetings_api.TalkingPointViewSet, basename="talking-point")
api_routes("one-on-ones/action-items", meetings_api.ActionItemViewSet, basename="action-item")
api_routes("one-on-ones/private-notes", meetings_api.PrivateNoteViewSet, basename="private-note")
api_routes("checkins", feedback_api.CheckInViewSet, basename="checkin")
api_routes("feedback", feedback_api.FeedbackViewSet, basename="feedback")
api_routes("feedback-requests", feedback_api.FeedbackRequestViewSet, basename="feedback-request")
api_routes("coaching-records", feedback_api.CoachingRecordViewSet, basename="coaching-record")
