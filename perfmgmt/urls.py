from django.contrib import admin
from django.urls import include, path

from perfmgmt.tenancy import views as people_views

urlpatterns = [
    path("", include("perfmgmt.web.urls")),
    path("accounts/", include("allauth.urls")),
    path("invitations/<str:token>/", people_views.invitation_accept, name="invitation_accept"),
    path("o/<slug:org_slug>/people/", include("perfmgmt.tenancy.urls")),
    path("o/<slug:org_slug>/notifications/", include("perfmgmt.notifications.urls")),
    path("o/<slug:org_slug>/goals/", include("goals.urls")),
    path("o/<slug:org_slug>/", include("feedback.urls")),
    path("o/<slug:org_slug>/development/", include("goals.development.urls")),
    path("o/<slug:org_slug>/one-on-ones/", include("feedback.meetings.urls")),
    path("o/<slug:org_slug>/team/", include("feedback.meetings.team_urls")),
    path("o/<slug:org_slug>/settings/api/", include("perfmgmt.api.views_urls")),
    path("api/v1/", include("perfmgmt.api.urls")),
    path("admin/", admin.site.urls),
]
