"""The goals export as an API endpoint (perfmgmt/api/exports.py)."""

from __future__ import annotations

from perfmgmt.api.exports import export_endpoint
from perfmgmt.api.models import Scope

from .exports import GOALS_EXPORT
from .models import Goal

GoalExportViewSet = export_endpoint(
    "GoalExportViewSet", GOALS_EXPORT, model=Goal, scope=Scope.GOALS_READ, module=__name__
)
