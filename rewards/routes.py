"""Where the praise pages and API resources are mounted."""

from perfmgmt.api.routes import api_routes
from perfmgmt.web.routes import pages

from . import api
from .api_exports import RewardExportViewSet

pages("o/<slug:org_slug>/", "rewards.urls")

api_routes("praise", api.PraiseViewSet, basename="praise")
api_routes("company-values", api.CompanyValueViewSet, basename="company-value")
api_routes("rewards", api.RewardViewSet, basename="reward")
api_routes("exports/rewards", RewardExportViewSet, basename="export-rewards")
