from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("perfmgmt.web.urls")),
    path("accounts/", include("allauth.urls")),
    path("o/<slug:org_slug>/people/", include("perfmgmt.tenancy.urls")),
    path("o/<slug:org_slug>/notifications/", include("perfmgmt.notifications.urls")),
    path("o/<slug:org_slug>/settings/api/", include("perfmgmt.api.views_urls")),
    path("api/v1/", include("perfmgmt.api.urls")),
    path("admin/", admin.site.urls),
]
