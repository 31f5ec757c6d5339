"""The rewards export as an API endpoint (perfmgmt/api/exports.py): for payroll, a key with
rewards:read reads the approved rewards."""

from __future__ import annotations

from perfmgmt.api.exports import export_endpoint
from perfmgmt.api.models import Scope

from .exports import REWARDS_EXPORT
from .models import RewardProposal

RewardExportViewSet = export_endpoint(
    "RewardExportViewSet",
    REWARDS_EXPORT,
    model=RewardProposal,
    scope=Scope.REWARDS_READ,
    module=__name__,
)
