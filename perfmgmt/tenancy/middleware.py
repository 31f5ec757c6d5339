from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .context import _current


class TenantContextResetMiddleware:
    """Every request starts with no organization and ends by restoring what was there.

    Views activate the organization from the URL or the credential; resetting here (after
    templates render) guarantees nothing leaks into the next request on this thread.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current.set(None)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
