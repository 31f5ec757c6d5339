from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .client_address import client_address


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        from django.urls import reverse

        return reverse("web:start")

    def get_client_ip(self, request: HttpRequest) -> str:
        # allauth's rate limits (failed sign-ins, sign-ups, password resets) count per this
        # address: the real client behind our proxies, never the proxy itself.
        address = client_address(request)
        if address is None:
            raise PermissionDenied("Unable to determine client IP address")
        return address
