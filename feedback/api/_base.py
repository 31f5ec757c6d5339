"""The base of the feedback app's viewsets, and the schema every one of them shares.

Personal data: API keys (systems) get 403 on every call, after the object lookup (so a
foreign id stays 404).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet
from perfmgmt.api.parsers import JSONParser
from perfmgmt.api.schema import ORG_SLUG_PARAMETER, RETRY_AFTER_HEADER, error_responses
from perfmgmt.tenancy.models import Membership

ModelT = TypeVar("ModelT", bound=Model)
PERSONAL = "Check-ins, feedback and coaching records are personal; API keys cannot use them."


def _schema(tag: str, serializer: Any, **actions: dict[str, Any]) -> Any:
    common: dict[str, Any] = {"tags": [tag], "parameters": [ORG_SLUG_PARAMETER, RETRY_AFTER_HEADER]}
    views = {
        "list": extend_schema(
            **common,
            responses={200: serializer(many=True), **error_responses(400, 401, 403, 404, 429)},
        ),
        "retrieve": extend_schema(
            **common, responses={200: serializer, **error_responses(401, 403, 404, 429)}
        ),
    }
    for name, options in actions.items():
        options.setdefault("responses", {200: serializer})
        options["responses"].update(error_responses(400, 401, 403, 404, 409, 429))
        views[name] = extend_schema(**common, **options)
    return extend_schema_view(**views)


class PersonalViewSet(OrgViewSet):
    """Base: people only, JSON in, cursor-paginated lists, objects looked up before refusing."""

    people_only = PERSONAL
    parser_classes = [JSONParser]
    filter_backends = [DjangoFilterBackend]

    def person(self) -> Membership:
        if self.actor.is_api_client:
            raise PermissionDenied(PERSONAL)
        return self.actor  # type: ignore[return-value]

    def visible(self, lookup: Callable[[], ModelT], get: Callable[[Membership], ModelT]) -> ModelT:
        """404 for ids of other organizations (before anything else), 403 for API keys,
        404 for what the person may not see."""
        lookup()
        return get(self.person())

    def parse(self, serializer_class: Any, partial: bool = False) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def page(  # type: ignore[override]
        self,
        queryset: QuerySet[Any],
        serializer_class: Any,
        shown: Callable[[list[Any]], object] | None = None,
    ) -> Response:
        """One page of the list; `shown` is told which items the page shows (to audit)."""
        page = self.paginate_queryset(self.filter_queryset(queryset))
        if shown is not None and page is not None:
            shown(page)
        data = serializer_class(page, many=True, context={"actor": self.actor}).data
        return self.get_paginated_response(data)
