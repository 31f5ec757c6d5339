"""What the development API resources share: scopes, schema parts and the base viewset."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import IsAuthenticated

from perfmgmt.api.base import OrgViewSet
from perfmgmt.api.models import Scope
from perfmgmt.api.parsers import JSONParser
from perfmgmt.api.permissions import HasRequiredScope
from perfmgmt.api.schema import ORG_SLUG_PARAMETER, RETRY_AFTER_HEADER, error_responses

READ, WRITE = Scope.DEVELOPMENT_READ, Scope.DEVELOPMENT_WRITE
_COMMON: dict[str, Any] = {"parameters": [ORG_SLUG_PARAMETER, RETRY_AFTER_HEADER]}
_READ_ERRORS = error_responses(400, 401, 403, 404, 429)
_GET_ERRORS = error_responses(401, 403, 404, 429)
_WRITE_ERRORS = error_responses(400, 401, 403, 404, 409, 429)

_PLAN_TAGS = ["development plans"]


class _DevelopmentViewSet(OrgViewSet):
    permission_classes = [IsAuthenticated, HasRequiredScope]
    parser_classes = [JSONParser]

    def _object_id(self, kwargs: dict[str, str]) -> str:
        return kwargs[self.lookup_url_kwarg or "pk"]
