"""Where the goals and development pages and API resources are mounted."""

from perfmgmt.api.routes import api_routes
from perfmgmt.web.routes import pages

from .api import GoalUpdateViewSet, GoalViewSet, KeyResultViewSet
from .development import api as development_api

pages("o/<slug:org_slug>/goals/", "goals.urls")
pages("o/<slug:org_slug>/development/", "goals.development.urls")

api_routes("goals", GoalViewSet, basename="goal")
api_routes("key-results", KeyResultViewSet, basename="key-result")
api_routes("goal-updates", GoalUpdateViewSet, basename="goal-update")
api_routes("development/plans", development_api.DevelopmentPlanViewSet, basename="development-plan")
api_routes(
    "development/actions", development_api.DevelopmentActionViewSet, basename="development-action"
)
api_routes(
    "development/objectives",
    development_api.DevelopmentObjectiveViewSet,
    basename="development-objective",
)
api_routes("development/competencies", development_api.CompetencyViewSet, basename="competency")
api_routes(
    "development/competency-categories",
    development_api.CompetencyCategoryViewSet,
    basename="competency-category",
)
