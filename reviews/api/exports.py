"""The review results export as an API endpoint (perfmgmt/api/exports.py)."""

from __future__ import annotations

from perfmgmt.api.exports import export_endpoint
from perfmgmt.api.models import Scope

from ..exports import RESULTS_EXPORT
from ..models import ReviewCycle

ReviewResultsExportViewSet = export_endpoint(
    "ReviewResultsExportViewSet",
    RESULTS_EXPORT,
    model=ReviewCycle,
    scope=Scope.REVIEWS_READ,
    module=__name__,
)
