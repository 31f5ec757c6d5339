"""allauth's sign-in pages that need the identity provider's published configuration (SAML
metadata at a URL, OpenID Connect discovery), mounted before allauth's own URLs
(perfmgmt/urls.py) at the same addresses and names, so a provider that cannot be reached is
a 503 page (views.provider_unavailable_is_503), never a 500.

SAML: our service provider's metadata, the direct start of a sign-in, the end of the answer
(the ACS's first step only stores the posted answer and reads nothing) and single logout.
These use the metadata kept from the last good fetch when a refresh fails
(saml_metadata.py); the page shows only when nothing usable is kept. OpenID Connect: the
direct start and the callback, whose discovery request (allauth makes it before it catches
a provider's errors) fails while the provider is down; its token request would fail then too,
so no discovery document is kept.
"""

from allauth.socialaccount import app_settings
from allauth.socialaccount.providers.openid_connect import views as oidc
from allauth.socialaccount.providers.saml import views as saml
from django.urls import path

from .views import provider_unavailable_is_503

OIDC_PREFIX = (
    f"{app_settings.OPENID_CONNECT_URL_PREFIX}/" if app_settings.OPENID_CONNECT_URL_PREFIX else ""
)

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
    path(
        "saml/<str:organization_slug>/acs/finish/",
        provider_unavailable_is_503(saml.finish_acs),
        name="saml_finish_acs",
    ),
    path(
        "saml/<str:organization_slug>/sls/",
        provider_unavailable_is_503(saml.sls),
        name="saml_sls",
    ),
    path(
        f"{OIDC_PREFIX}<str:provider_id>/login/",
        provider_unavailable_is_503(oidc.login),
        name="openid_connect_login",
    ),
    path(
        f"{OIDC_PREFIX}<str:provider_id>/login/callback/",
        provider_unavailable_is_503(oidc.callback),
        name="openid_connect_callback",
    ),
]
