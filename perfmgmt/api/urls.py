from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from goals.api import GoalUpdateViewSet, GoalViewSet, KeyResultViewSet
from perfmgmt.tenancy.api import MemberViewSet

app_name = "api"

org_router = SimpleRouter()
org_router.register("members", MemberViewSet, basename="member")
org_router.register("goals", GoalViewSet, basename="goal")
org_router.register("key-results", KeyResultViewSet, basename="key-result")
org_router.register("goal-updates", GoalUpdateViewSet, basename="goal-update")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("orgs/<slug:org_slug>/", include(org_router.urls)),
]
