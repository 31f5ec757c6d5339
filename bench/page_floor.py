"""The HTTP floor of the HTML page benchmark: a trivial page of one organization behind the
same middleware, session, sign-in and organization resolution as every page (`OrgView`),
answering a constant. Imported (as a URL configuration that adds it to the project's) only
by `bench.pages`, after Django is set up."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from perfmgmt.web.base import OrgView

FLOOR_PATH = "o/<slug:org_slug>/bench-floor/"


class FloorView(OrgView):
    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse("<!doctype html><title>floor</title><p>floor</p>")


urlpatterns: list[Any] = [
    path(FLOOR_PATH, FloorView.as_view(), name="bench-page-floor"),
    path("", include("perfmgmt.urls")),
]
