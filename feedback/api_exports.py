"""The check-in coverage export as an API endpoint (perfmgmt/api/exports.py)."""

from __future__ import annotations

from django.http import HttpResponseBase
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request

from perfmgmt.api.exports import ExportViewSet, export_schema

from .exports import CHECKIN_COVERAGE_EXPORT
from .models import CheckIn


class CheckInCoverageExportViewSet(ExportViewSet):
    export = CHECKIN_COVERAGE_EXPORT
    model = CheckIn  # the schema names what the rows are about
    # No API scope reads check-ins: keys are refused (fail closed); people export here.
    required_scopes = {}

    @extend_schema(**export_schema(CHECKIN_COVERAGE_EXPORT))
    def list(self, request: Request, org_slug: str) -> HttpResponseBase:
        return self.answer()
