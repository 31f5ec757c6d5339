from django.contrib import admin
from django.urls import include, path
from django.utils.module_loading import autodiscover_modules

from perfmgmt.health import HealthView
from perfmgmt.tenancy import views as people_views
from perfmgmt.web.routes import page_urlpatterns

# Every app's routes.py mounts its pages and API resources (perfmgmt/web/routes.py,
# perfmgmt/api/routes.py) before the URL configurations below are built.
autodiscover_modules("routes")

urlpatterns = [
    # First: an API request (no page's path begins with api/) is resolved without trying
    # every page's route.
    path("api/v1/", include("perfmgmt.api.urls")),
    path("", include("perfmgmt.web.urls")),
    path("health/", HealthView.as_view(), name="health"),
    # Before allauth's: its sign-in pages that can find the identity provider unavailable.
    path("accounts/", include("perfmgmt.integrations.sso.provider_urls")),
    path("accounts/", include("allauth.urls")),
    path("invitations/<str:token>/", people_views.invitation_accept, name="invitation_accept"),
    path("o/<slug:org_slug>/people/", include("perfmgmt.tenancy.urls")),
    path("o/<slug:org_slug>/notifications/", include("perfmgmt.notifications.urls")),
    path("o/<slug:org_slug>/settings/api/", include("perfmgmt.api.views_urls")),
    *page_urlpatterns(),
    path("scim/v2/<slug:org_slug>/", include("perfmgmt.integrations.scim.urls")),
    path("admin/", admin.site.urls),
]
