"""The HTTP floor of the API list benchmark: a trivial endpoint of one organization behind
the same middleware, authentication, organization resolution, permissions and throttling
as every list (`OrgAPIView`), answering a constant. Imported (as a URL configuration that
adds it to the project's) only by `bench.api_lists`, after Django is set up."""

from __future__ import annotations

from typing import Any

from django.urls import include, path
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgAPIView
from perfmgmt.api.models import Scope

FLOOR_PATH = "api/v1/orgs/<slug:org_slug>/bench-floor/"


class FloorView(OrgAPIView):
    # An APIView has no action: the scope map's key is None.
    required_scopes = {None: Scope.MEMBERS_READ}

    def get(self, request: Request, org_slug: str) -> Response:
        return Response({"results": []})


urlpatterns: list[Any] = [
    path(FLOOR_PATH, FloorView.as_view(), name="bench-floor"),
    path("", include("perfmgmt.urls")),
]
