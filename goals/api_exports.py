"""The goals export as an API endpoint (perfmgmt/api/exports.py)."""

from __future__ import annotations

from django.http import HttpResponseBase
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request

from perfmgmt.api.exports import ExportViewSet, export_schema
from perfmgmt.api.models import Scope

from .exports import GOALS_EXPORT
from .models import Goal


class GoalExportViewSet(ExportViewSet):
    export = GOALS_EXPORT
    model = Goal  # the schema names what the rows are about
    required_scopes = {"list": Scope.GOALS_READ}

    @extend_schema(**export_schema(GOALS_EXPORT))
    def list(self, request: Request, org_slug: str) -> HttpResponseBase:
        return self.answer()
