from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from feedback import api as feedback_api
from feedback.meetings import api as meetings_api
from goals.api import GoalUpdateViewSet, GoalViewSet, KeyResultViewSet
from goals.development import api as development_api
from perfmgmt.tenancy.api import MemberViewSet

from .schema import RedocView, SwaggerView

app_name = "api"

org_router = SimpleRouter()
org_router.register("members", MemberViewSet, basename="member")
org_router.register("goals", GoalViewSet, basename="goal")
org_router.register("key-results", KeyResultViewSet, basename="key-result")
org_router.register("goal-updates", GoalUpdateViewSet, basename="goal-update")
org_router.register(
    "development/plans", development_api.DevelopmentPlanViewSet, basename="development-plan"
)
org_router.register(
    "development/actions", development_api.DevelopmentActionViewSet, basename="development-action"
)
org_router.register(
    "development/objectives",
    development_api.DevelopmentObjectiveViewSet,
    basename="development-objective",
)
org_router.register(
    "development/competencies", development_api.CompetencyViewSet, basename="competency"
)
org_router.register(
    "development/competency-categories",
    development_api.CompetencyCategoryViewSet,
    basename="competency-category",
)
org_router.register("one-on-ones/series", meetings_api.SeriesViewSet, basename="one-on-one-series")
org_router.register("one-on-ones/meetings", meetings_api.MeetingViewSet, basename="meeting")
org_router.register(
    "one-on-ones/talking-points", meetings_api.TalkingPointViewSet, basename="talking-point"
)
org_router.register(
    "one-on-ones/action-items", meetings_api.ActionItemViewSet, basename="action-item"
)
org_router.register(
    "one-on-ones/private-notes", meetings_api.PrivateNoteViewSet, basename="private-note"
)
org_router.register("checkins", feedback_api.CheckInViewSet, basename="checkin")
org_router.register("feedback", feedback_api.FeedbackViewSet, basename="feedback")
org_router.register(
    "feedback-requests", feedback_api.FeedbackRequestViewSet, basename="feedback-request"
)
org_router.register(
    "coaching-records", feedback_api.CoachingRecordViewSet, basename="coaching-record"
)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", RedocView.as_view(url_name="api:schema"), name="redoc"),
    path("orgs/<slug:org_slug>/", include(org_router.urls)),
]
