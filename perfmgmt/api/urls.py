from django.urls import URLResolver, include, path
from django.utils.module_loading import autodiscover_modules
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter
from rest_framework.viewsets import ViewSetMixin

from perfmgmt.tenancy.api import MemberViewSet

from .routes import registered
from .schema import SwaggerView

app_name = "api"

# Every app's routes.py registers its view sets (perfmgmt/api/routes.py).
autodiscover_modules("routes")


def _resource_urls(prefix: str, viewset: type[ViewSetMixin], basename: str) -> URLResolver:
    """One resource's routes under its own prefix, so that resolving a path tries one prefix
    per resource instead of every route of every resource before it (one router for all of
    them answered 134 patterns, tried in turn: 0.3 ms for a late one)."""
    router = SimpleRouter()
    router.register("", viewset, basename=basename)
    return path(f"{prefix}/", include(router.urls))


resources: list[tuple[str, type[ViewSetMixin], str]] = [("members", MemberViewSet, "member")]
resources += [(route.prefix, route.viewset, route.basename) for route in registered()]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("orgs/<slug:org_slug>/", include([_resource_urls(*resource) for resource in resources])),
]
