"""The 1:1 coverage export as an API endpoint (perfmgmt/api/exports.py)."""

from __future__ import annotations

from perfmgmt.api.exports import export_endpoint
from perfmgmt.api.models import Scope

from .exports import ONE_ON_ONE_COVERAGE_EXPORT
from .models import OneOnOneSeries

OneOnOneCoverageExportViewSet = export_endpoint(
    "OneOnOneCoverageExportViewSet",
    ONE_ON_ONE_COVERAGE_EXPORT,
    model=OneOnOneSeries,
    scope=Scope.ONE_ON_ONES_READ,
    module=__name__,
)
