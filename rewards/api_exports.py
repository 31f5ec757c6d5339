"""The rewards export as an API endpoint (perfmgmt/api/exports.py): for payroll, a key with
rewards:read reads the approved rewards."""

from __future__ import annotations

from django.http import HttpResponseBase
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request

from perfmgmt.api.exports import ExportViewSet, export_schema
from perfmgmt.api.models import Scope

from .exports import REWARDS_EXPORT
from .models import RewardProposal


class RewardExportViewSet(ExportViewSet):
    export = REWARDS_EXPORT
    model = RewardProposal  # the schema names what the rows are about
    required_scopes = {"list": Scope.REWARDS_READ}

    @extend_schema(**export_schema(REWARDS_EXPORT))
    def list(self, request: Request, org_slug: str) -> HttpResponseBase:
        return self.answer()
