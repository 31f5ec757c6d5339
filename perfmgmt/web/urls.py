from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.StartView.as_view(), name="start"),
    path("o/<slug:org_slug>/", views.HomeView.as_view(), name="home"),
]
