"""Where the goals pages and API resources are mounted."""

from perfmgmt.api.routes import api_routes
from perfmgmt.web.routes import pages

from .api import GoalUpdateViewSet, GoalViewSet, KeyResultViewSet

pages("o/<slug:org_slug>/goals/", "goals.urls")

api_routes("goals", GoalViewSet, basename="goal")
api_routes("key-results", KeyResultViewSet, basename="key-result")
api_routes("goal-updates", GoalUpdateViewSet, basename="goal-update")

from .api_exports import GoalExportViewSet  # noqa: E402

api_routes("exports/goals", GoalExportViewSet, basename="export-goals")
