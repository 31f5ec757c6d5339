from django.http import HttpRequest, HttpResponse


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    raise NotImplementedError("built by the people pages work")
