"""The manager's team page under /o/<org_slug>/team/."""

from django.urls import path

from . import views

app_name = "team"

urlpatterns = [path("", views.TeamView.as_view(), name="overview")]
