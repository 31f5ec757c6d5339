"""What every 1:1 endpoint shares: the schema of its actions, the scopes keys need, the
refusal of writes by keys (after the lookup, so an unknown id stays a 404), and parsing.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from perfmgmt.api.base import OrgViewSet
from perfmgmt.api.models import Scope
from perfmgmt.api.parsers import JSONParser
from perfmgmt.api.permissions import HasRequiredScope
from perfmgmt.api.schema import ORG_SLUG_PARAMETER, RETRY_AFTER_HEADER, error_responses
from perfmgmt.errors import DomainError


def _common(summary: str, **kwargs: Any) -> dict[str, Any]:
    return {
        "summary": summary,
        "tags": ["one-on-ones"],
        "parameters": [ORG_SLUG_PARAMETER, RETRY_AFTER_HEADER],
        **kwargs,
    }


def _schema(noun: str, serializer: type[Serializer[Any]], create: Any, update: Any) -> Any:
    return extend_schema_view(
        list=extend_schema(
            **_common(f"List {noun}s"),
            responses={200: serializer(many=True), **error_responses(400, 401, 403, 404, 429)},
        ),
        retrieve=extend_schema(
            **_common(f"Get a {noun}"),
            responses={200: serializer, **error_responses(401, 403, 404, 429)},
        ),
        create=extend_schema(
            **_common(f"Create a {noun}"),
            request=create,
            responses={201: serializer, **error_responses(400, 401, 403, 404, 409, 429)},
        ),
        partial_update=extend_schema(
            **_common(f"Change a {noun}"),
            request=update,
            responses={200: serializer, **error_responses(400, 401, 403, 404, 409, 429)},
        ),
    )


def _known(lookup: Any, field: str, message: str) -> Any:
    """An id in a request body the caller cannot see is a field error, not a 404."""
    try:
        return lookup()
    except Http404:
        raise DomainError("Some fields are not valid.", fields={field: [message]}) from None


class OneOnOneViewSet(OrgViewSet):
    """Shared plumbing; the selectors decide what the caller sees."""

    permission_classes = [IsAuthenticated, HasRequiredScope]
    parser_classes = [JSONParser]
    lookup_url_kwarg = "pk"
    lookup_value_regex = "[0-9]+"
    # Keys may call every action so that an unknown id is a 404 before anything else;
    # the services refuse every write by a key (403).
    required_scopes = dict.fromkeys(
        ["list", "retrieve", "create", "partial_update"], Scope.ONE_ON_ONES_READ
    )
    output: type[Serializer[Any]]

    def refuse_keys(self) -> None:
        """Called after the object lookup, so an unknown id stays a 404 for keys too."""
        if self.actor.is_api_client:
            raise PermissionDenied("API keys can read 1:1s but not change them.")

    def present(self, obj: Any, code: int = status.HTTP_200_OK) -> Response:  # type: ignore[override]
        return Response(self.output(obj).data, status=code)

    def list(self, request: Request, org_slug: str) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.output(page, many=True).data)

    def parse(  # type: ignore[override]
        self, serializer_class: type[Serializer[Any]], request: Request
    ) -> dict[str, Any]:
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)
