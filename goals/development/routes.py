"""Where the development plan and competency pages and API resources are mounted."""

from perfmgmt.api.routes import api_routes
from perfmgmt.web.routes import pages

from . import api

pages("o/<slug:org_slug>/development/", "goals.development.urls")

api_routes("development/plans", api.DevelopmentPlanViewSet, basename="development-plan")
api_routes("development/actions", api.DevelopmentActionViewSet, basename="development-action")
api_routes(
    "development/objectives", api.DevelopmentObjectiveViewSet, basename="development-objective"
)
api_routes("development/competencies", api.CompetencyViewSet, basename="competency")
api_routes(
    "development/competency-categories",
    api.CompetencyCategoryViewSet,
    basename="competency-category",
)

from .api_exports import PlanExportViewSet  # noqa: E402

api_routes("exports/development-plans", PlanExportViewSet, basename="export-development-plans")
