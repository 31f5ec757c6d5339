"""Where the review pages are mounted (see perfmgmt/web/routes.py)."""

from perfmgmt.api.routes import api_routes
from perfmgmt.web.routes import pages

from .api import setup as api

pages("o/<slug:org_slug>/reviews/", "reviews.urls")

api_routes("reviews/scales", api.RatingScaleViewSet, basename="rating-scale")
api_routes("reviews/templates", api.ReviewTemplateViewSet, basename="review-template")

# Release, acknowledgement and progress (rev/release).
from .api import release as release_api  # noqa: E402

api_routes(
    "reviews/cycle-results", release_api.CycleResultsViewSet, basename="review-cycle-results"
)
api_routes(
    "reviews/participant-results",
    release_api.ParticipantResultsViewSet,
    basename="review-participant-results",
)
api_routes(
    "reviews/acknowledgements",
    release_api.AcknowledgementViewSet,
    basename="review-acknowledgement",
)
api_routes(
    "reviews/answer-corrections",
    release_api.AnswerCorrectionViewSet,
    basename="review-answer-correction",
)
# Writing reviews (rev/writing)
from .api import reviews as reviews_api  # noqa: E402

api_routes("reviews/reviews", reviews_api.ReviewViewSet, basename="review")

# Review cycles
from .api import cycles as cycles_api  # noqa: E402

api_routes("reviews/cycles", cycles_api.ReviewCycleViewSet, basename="review-cycle")
api_routes("reviews/participants", cycles_api.ParticipantViewSet, basename="review-participant")

# Peer and upward feedback
from .api import peers as peers_api  # noqa: E402

api_routes("reviews/nominations", peers_api.NominationViewSet, basename="review-nomination")
api_routes("reviews/peer-requests", peers_api.PeerRequestViewSet, basename="review-peer-request")
api_routes("reviews/peer-results", peers_api.PeerResultsViewSet, basename="review-peer-result")
api_routes("reviews/peer-settings", peers_api.PeerSettingsViewSet, basename="review-peer-settings")
# Performance improvement plans (s19/pips)
from .api import improvement_plans as plans_api  # noqa: E402

api_routes(
    "reviews/improvement-plans", plans_api.ImprovementPlanViewSet, basename="improvement-plan"
)

# Calibration
from .api import calibration as calibration_api  # noqa: E402

api_routes(
    "reviews/calibration-sessions",
    calibration_api.CalibrationSessionViewSet,
    basename="calibration-session",
)
api_routes(
    "reviews/calibration-placements",
    calibration_api.CalibrationPlacementViewSet,
    basename="calibration-placement",
)
api_routes(
    "reviews/calibration-adjustments",
    calibration_api.CalibrationAdjustmentViewSet,
    basename="calibration-adjustment",
)

# Exports (perfmgmt/exports.py)
from .api import exports as exports_api  # noqa: E402

api_routes(
    "exports/review-results",
    exports_api.ReviewResultsExportViewSet,
    basename="export-review-results",
)

# Retrospectives
from .api import retrospectives as retrospectives_api  # noqa: E402

api_routes(
    "reviews/retrospectives", retrospectives_api.RetrospectiveViewSet, basename="retrospective"
)
