"""OpenAPI pieces shared by every endpoint: the error body and common parameters."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.drainage import add_trace_message
from drf_spectacular.plumbing import get_view_model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from drf_spectacular.views import SpectacularSwaggerView
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.views import APIView


class ErrorDetailSerializer(serializers.Serializer[dict]):
    code = serializers.CharField(help_text="Stable machine-readable code, e.g. `invalid`.")
    message = serializers.CharField(help_text="A sentence for people.")
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per input field; empty when the error is not about one field.",
    )


class ErrorSerializer(serializers.Serializer[dict]):
    """Every error answer has this shape."""

    error = ErrorDetailSerializer()


ORG_SLUG_PARAMETER = OpenApiParameter(
    "org_slug",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The organization's slug, as in its web address.",
)

_DESCRIPTIONS = {
    400: "The input is not valid; `error.fields` says which field and why.",
    401: "No credentials, or an invalid or revoked API key.",
    403: "Signed in, but not allowed to do this (role or API key scope).",
    404: "No such object in this organization (also: not a member of the organization).",
    409: "Valid, but clashes with existing data (e.g. the email or external id is in use).",
    429: "Too many requests; retry after the number of seconds in `Retry-After`.",
}

RETRY_AFTER_HEADER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    response=[429],
    description="Seconds to wait before the next call.",
)


# What every operation under /api/v1/orgs/<org_slug>/ takes, and the usual error answers.
COMMON_PARAMETERS = [ORG_SLUG_PARAMETER, RETRY_AFTER_HEADER]


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """The documented error answers of an operation, all with the shared error body."""
    return {
        code: OpenApiResponse(response=ErrorSerializer, description=_DESCRIPTIONS[code])
        for code in codes
    }


LIST_ERRORS = error_responses(400, 401, 403, 404, 429)
GET_ERRORS = error_responses(401, 403, 404, 429)
WRITE_ERRORS = error_responses(400, 401, 403, 404, 409, 429)


class TenantModelFilterExtension(DjangoFilterExtension):
    """Describe django-filter parameters of views over tenant models.

    drf-spectacular asks the model's `objects` manager for an empty queryset, and that
    manager fails closed outside a request (no active organization). The base manager gives
    the same empty queryset without one; nothing is queried.
    """

    priority = 1

    def get_schema_operation_parameters(
        self, auto_schema: Any, *args: Any, **kwargs: Any
    ) -> list[dict[str, Any]]:
        model = get_view_model(auto_schema.view)
        if not model:
            return []
        empty = model._base_manager.none()
        filterset_class = self.target.get_filterset_class(auto_schema.view, empty)
        if not filterset_class:
            return []
        parameters: list[dict[str, Any]] = []
        with add_trace_message(filterset_class):
            for name, filter_field in filterset_class.base_filters.items():
                parameters += self.resolve_filter_field(
                    auto_schema, model, filterset_class, name, filter_field
                )
        return parameters


class _DocumentationPage(APIView):
    """OPTIONS on an HTML documentation page answers which methods it allows.

    DRF answers OPTIONS with metadata rendered by the view's renderer, and these pages render
    through a template that only their GET supplies (a 500 otherwise).
    """

    def options(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:  # type: ignore[override]
        return HttpResponse(headers={"Allow": ", ".join(self.allowed_methods)})


class SwaggerView(_DocumentationPage, SpectacularSwaggerView):
    pass
