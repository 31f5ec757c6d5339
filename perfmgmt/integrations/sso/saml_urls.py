"""allauth's SAML pages that fetch the identity provider's metadata, mounted before allauth's
own URLs (perfmgmt/urls.py) at the same addresses and names, so a provider that does not
answer is a 503 page (views.provider_unavailable_is_503)."""

from allauth.socialaccount.providers.saml import views as saml
from django.urls import path

from .views import provider_unavailable_is_503

urlpatterns = [
    path(
        "saml/<str:organization_slug>/metadata/",
        provider_unavailable_is_503(saml.metadata),
        name="saml_metadata",
    ),
    path(
        "saml/<str:organization_slug>/login/",
        provider_unavailable_is_503(saml.login),
        name="saml_login",
    ),
]
