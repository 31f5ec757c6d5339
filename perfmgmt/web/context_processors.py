from typing import Any

from django.http import HttpRequest


def shell(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    return {"membership": membership, "organization": getattr(request, "organization", None)}
