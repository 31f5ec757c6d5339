"""Content-Security-Policy with a fresh nonce per request, and Permissions-Policy.

Django 5.2 has no CSP of its own. Django 6.0 brings one with the same setting names
(SECURE_CSP, SECURE_CSP_REPORT_ONLY), the same nonce sentinel and the same `csp_nonce`
template variable, so moving to it is swapping this middleware and context processor for
Django's.
"""

import secrets
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Stands for the request's nonce in a policy's sources (Django 6.0's `CSP.NONCE`).
NONCE = "<CSP_NONCE_SENTINEL>"


def build_policy(policy: Mapping[str, Sequence[str]], nonce: str) -> str:
    return "; ".join(
        " ".join([directive, *(f"'nonce-{nonce}'" if s == NONCE else s for s in sources)])
        for directive, sources in policy.items()
    )


def build_permissions_policy(policy: Mapping[str, Sequence[str]]) -> str:
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())


class SecurityHeadersMiddleware:
    """Gives the request its nonce (`request.csp_nonce`) and every response the policies
    of settings.SECURE_CSP, SECURE_CSP_REPORT_ONLY and PERMISSIONS_POLICY."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        # Django's debug error pages carry inline script and style without a nonce.
        if settings.DEBUG and response.status_code >= 400:
            return response
        headers = {
            "Content-Security-Policy": build_policy(settings.SECURE_CSP, nonce),
            "Content-Security-Policy-Report-Only": build_policy(
                settings.SECURE_CSP_REPORT_ONLY, nonce
            ),
            "Permissions-Policy": build_permissions_policy(settings.PERMISSIONS_POLICY),
        }
        for header, value in headers.items():
            if value and header not in response:
                response[header] = value
        return response


def csp_nonce(request: HttpRequest) -> dict[str, Any]:
    """`csp_nonce` for `<script nonce="{{ csp_nonce }}">` (and django-htmx's htmx_script)."""
    return {"csp_nonce": getattr(request, "csp_nonce", None)}
