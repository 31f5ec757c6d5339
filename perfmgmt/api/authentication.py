from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from .models import KEY_PREFIX, ApiCredential, hash_secret


class ApiClientPrincipal:
    """Stands in for request.user when a system calls with an API credential."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None

    def __init__(self, credential: ApiCredential) -> None:
        self.credential = credential

    def __str__(self) -> str:
        return f"api-client:{self.credential.prefix}"


class ApiCredentialAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer pm_<prefix>_<secret>`; the key names its organization."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiCredential] | None:
        header = authentication.get_authorization_header(request).decode(errors="replace")
        if not header:
            return None
        parts = header.split()
        if len(parts) != 2 or parts[0] != self.keyword or not parts[1].startswith(KEY_PREFIX):
            return None
        # Crosses organizations on purpose: the key itself says which one it belongs to.
        credential = (
            ApiCredential.unscoped.select_related("organization")
            .filter(key_hash=hash_secret(parts[1]), revoked_at=None)
            .first()
        )
        if credential is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked API key."))
        now = timezone.now()
        if credential.last_used_at is None or (now - credential.last_used_at).total_seconds() > 60:
            ApiCredential.unscoped.filter(pk=credential.pk).update(last_used_at=now)
            credential.last_used_at = now
        return ApiClientPrincipal(credential), credential

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class ApiCredentialScheme(OpenApiAuthenticationExtension):
    target_class = "perfmgmt.api.authentication.ApiCredentialAuthentication"
    name = "ApiCredential"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "bearerFormat": "pm_<prefix>_<secret>"}
