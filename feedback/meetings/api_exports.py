"""The 1:1 coverage export as an API endpoint (perfmgmt/api/exports.py)."""

from __future__ import annotations

from django.http import HttpResponseBase
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request

from perfmgmt.api.exports import ExportViewSet, export_schema
from perfmgmt.api.models import Scope

from .exports import ONE_ON_ONE_COVERAGE_EXPORT
from .models import OneOnOneSeries


class OneOnOneCoverageExportViewSet(ExportViewSet):
    export = ONE_ON_ONE_COVERAGE_EXPORT
    model = OneOnOneSeries  # the schema names what the rows are about
    required_scopes = {"list": Scope.ONE_ON_ONES_READ}

    @extend_schema(**export_schema(ONE_ON_ONE_COVERAGE_EXPORT))
    def list(self, request: Request, org_slug: str) -> HttpResponseBase:
        return self.answer()
