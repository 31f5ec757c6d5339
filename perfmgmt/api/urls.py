from django.urls import include, path
from django.utils.module_loading import autodiscover_modules
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from perfmgmt.tenancy.api import MemberViewSet

from .routes import registered
from .schema import SwaggerView

app_name = "api"

# Every app's routes.py registers its view sets (perfmgmt/api/routes.py).
autodiscover_modules("routes")

org_router = SimpleRouter()
org_router.register("members", MemberViewSet, basename="member")
for route in registered():
    org_router.register(route.prefix, route.viewset, basename=route.basename)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("orgs/<slug:org_slug>/", include(org_router.urls)),
]
