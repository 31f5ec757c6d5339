"""The development plans export as an API endpoint (perfmgmt/api/exports.py)."""

from __future__ import annotations

from django.http import HttpResponseBase
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request

from perfmgmt.api.exports import ExportViewSet, export_schema
from perfmgmt.api.models import Scope

from .exports import PLANS_EXPORT
from .models import DevelopmentPlan


class PlanExportViewSet(ExportViewSet):
    export = PLANS_EXPORT
    model = DevelopmentPlan  # the schema names what the rows are about
    required_scopes = {"list": Scope.DEVELOPMENT_READ}

    @extend_schema(**export_schema(PLANS_EXPORT))
    def list(self, request: Request, org_slug: str) -> HttpResponseBase:
        return self.answer()
