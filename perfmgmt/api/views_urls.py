from django.urls import path

from . import views

app_name = "api_credentials"

urlpatterns = [
    path("", views.CredentialListView.as_view(), name="list"),
    path("new/", views.CredentialCreateView.as_view(), name="create"),
    path("<int:credential_id>/revoke/", views.CredentialRevokeView.as_view(), name="revoke"),
]
