from typing import Any

from rest_framework.throttling import SimpleRateThrottle


class PrincipalRateThrottle(SimpleRateThrottle):
    """One budget per API credential, per signed-in login, or per address for anonymous calls.

    A throttled call gets 429 with a Retry-After header (DRF sets it from `wait()`).
    """

    scope = "principal"

    def get_cache_key(self, request: Any, view: Any) -> str:
        if request.auth is not None and hasattr(request.auth, "prefix"):
            ident = f"key:{request.auth.prefix}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"ip:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
