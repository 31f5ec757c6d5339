"""The development plans export as an API endpoint (perfmgmt/api/exports.py)."""

from __future__ import annotations

from perfmgmt.api.exports import export_endpoint
from perfmgmt.api.models import Scope

from .exports import PLANS_EXPORT
from .models import DevelopmentPlan

PlanExportViewSet = export_endpoint(
    "PlanExportViewSet",
    PLANS_EXPORT,
    model=DevelopmentPlan,
    scope=Scope.DEVELOPMENT_READ,
    module=__name__,
)
