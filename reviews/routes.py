"""Where the review pages are mounted (see perfmgmt/web/routes.py)."""

from perfmgmt.api.routes import api_routes
from perfmgmt.web.routes import pages

from .api import setup as api

pages("o/<slug:org_slug>/reviews/", "reviews.urls")

api_routes("reviews/scales", api.RatingScaleViewSet, basename="rating-scale")
api_routes("reviews/templates", api.ReviewTemplateViewSet, basename="review-template")

# Review cycles
from .api import cycles as cycles_api  # noqa: E402

api_routes("reviews/cycles", cycles_api.ReviewCycleViewSet, basename="review-cycle")
api_routes("reviews/participants", cycles_api.ParticipantViewSet, basename="review-participant")
