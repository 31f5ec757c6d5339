"""The check-in coverage export as an API endpoint (perfmgmt/api/exports.py)."""

from __future__ import annotations

from perfmgmt.api.exports import export_endpoint

from .exports import CHECKIN_COVERAGE_EXPORT
from .models import CheckIn

# No API scope reads check-ins: keys are refused (fail closed); people export here.
CheckInCoverageExportViewSet = export_endpoint(
    "CheckInCoverageExportViewSet",
    CHECKIN_COVERAGE_EXPORT,
    model=CheckIn,
    scope=None,
    module=__name__,
)
