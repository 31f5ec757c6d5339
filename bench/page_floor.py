"""The HTTP floor of the HTML page benchmark: a trivial page of one organization behind the
same middleware, session, sign-in and organization resolution as every page (`OrgView`),
answering a constant; and, apart, the empty page layout. Imported (as a URL configuration
that adds them to the project's) only by `bench.pages`, after Django is set up."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path

from perfmgmt.web.base import OrgView

FLOOR_PATH = "o/<slug:org_slug>/bench-floor/"
LAYOUT_PATH = "o/<slug:org_slug>/bench-layout/"


class FloorView(OrgView):
    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse("<!doctype html><title>floor</title><p>floor</p>")


class LayoutView(OrgView):
    """Not the floor: the page layout (navigation, menus, unread count) around no content,
    printed beside the floor to show what of a page's cost is its own list."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "base.html", {})


urlpatterns: list[Any] = [
    path(FLOOR_PATH, FloorView.as_view(), name="bench-page-floor"),
    path(LAYOUT_PATH, LayoutView.as_view(), name="bench-page-layout"),
    path("", include("perfmgmt.urls")),
]
