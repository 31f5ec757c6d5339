from django.urls import path

from . import views

app_name = "sso_settings"

urlpatterns = [
    path("", views.SsoSettingsView.as_view(), name="edit"),
]
