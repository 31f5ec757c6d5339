from typing import Any

from django.core.exceptions import ImproperlyConfigured
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from perfmgmt.accounts.client_address import client_address


class PrincipalRateThrottle(SimpleRateThrottle):
    """One budget per API credential, per signed-in login, or per address for anonymous calls.

    A throttled call gets 429 with a Retry-After header (DRF sets it from `wait()`).
    """

    scope = "principal"

    def get_rate(self) -> str | None:
        # DRF copies the rates into a class attribute at import time; read them live so a
        # changed REST_FRAMEWORK setting (DRF reloads `api_settings` on setting_changed)
        # takes effect without a restart.
        try:
            rate = api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError:
            raise ImproperlyConfigured(
                f"No throttle rate set for the {self.scope!r} scope."
            ) from None
        return None if rate is None else str(rate)

    def get_cache_key(self, request: Any, view: Any) -> str:
        if request.auth is not None and hasattr(request.auth, "prefix"):
            ident = f"key:{request.auth.prefix}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"ip:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def get_ident(self, request: Any) -> str:
        # The real client behind our proxies, by the same rule as the sign-in limits.
        return client_address(request) or "unknown"
