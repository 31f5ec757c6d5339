"""Where the 1:1 and team pages and API resources are mounted."""

from perfmgmt.api.routes import api_routes
from perfmgmt.web.routes import pages

from . import api

pages("o/<slug:org_slug>/one-on-ones/", "feedback.meetings.urls")
pages("o/<slug:org_slug>/team/", "feedback.meetings.team_urls")

api_routes("one-on-ones/series", api.SeriesViewSet, basename="one-on-one-series")
api_routes("one-on-ones/meetings", api.MeetingViewSet, basename="meeting")
api_routes("one-on-ones/talking-points", api.TalkingPointViewSet, basename="talking-point")
api_routes("one-on-ones/action-items", api.ActionItemViewSet, basename="action-item")
api_routes("one-on-ones/private-notes", api.PrivateNoteViewSet, basename="private-note")

from .api_exports import OneOnOneCoverageExportViewSet  # noqa: E402

api_routes(
    "exports/one-on-one-coverage",
    OneOnOneCoverageExportViewSet,
    basename="export-one-on-one-coverage",
)
