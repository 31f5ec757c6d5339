from django.urls import path

from . import views
from .export_pages import export_urlpatterns

app_name = "web"

urlpatterns = [
    path("", views.StartView.as_view(), name="start"),
    path("preferences/", views.PreferencesView.as_view(), name="preferences"),
    path("orgs/new/", views.OrganizationCreateView.as_view(), name="org_create"),
    path("o/<slug:org_slug>/", views.HomeView.as_view(), name="home"),
    path(
        "o/<slug:org_slug>/settings/", views.OrganizationSettingsView.as_view(), name="org_settings"
    ),
    *export_urlpatterns(),
]
