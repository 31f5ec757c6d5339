from typing import Any

from django.http import HttpRequest

from .shell import Shell


def shell(request: HttpRequest) -> dict[str, Any]:
    """`membership` and `organization` of the page (None outside /o/<slug>/), and `shell`:
    the header's lazily computed navigation, organizations and unread count (None when
    signed out). Tenant tables are only read when an organization is active."""
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    return {
        "membership": getattr(request, "membership", None),
        "organization": getattr(request, "organization", None),
        "shell": Shell(request) if signed_in else None,
    }
