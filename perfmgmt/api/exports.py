"""The API side of the exports (perfmgmt/exports.py): one endpoint per export, answering
the file (`?file_format=csv|xlsx`, CSV by default) with the same filters as its form.

An app declares its endpoint in its own module:

    GoalExportViewSet = export_endpoint(
        "GoalExportViewSet", GOALS_EXPORT, model=Goal, scope=Scope.GOALS_READ, module=__name__
    )

and registers it in its `routes.py` (`api_routes("exports/goals", ...)`). Bad filters are a
400 with field messages; a reader the export is not for is a 403. Every export is audited.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.db.models import Model
from django.http import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request

from perfmgmt import exports

from .base import OrgViewSet
from .schema import COMMON_PARAMETERS, error_responses


def _parameter(name: str, field: forms.Field) -> OpenApiParameter:
    description = str(field.help_text or field.label or "")
    if isinstance(field, forms.ModelChoiceField):
        return OpenApiParameter(
            name, int, required=field.required, description=f"{description} (id)"
        )
    if isinstance(field, forms.ChoiceField):
        values = [str(value) for value, _label in field.choices if value]  # type: ignore[misc,union-attr]
        return OpenApiParameter(
            name, str, enum=values, required=field.required, description=description
        )
    return OpenApiParameter(name, str, required=field.required, description=description)


def export_schema(export: exports.Export) -> dict[str, Any]:
    """The OpenAPI description of an export's endpoint: its filters and its two formats."""
    fields = export.form.base_fields
    return {
        "summary": f"Export: {export.label} (CSV or XLSX)",
        "description": str(export.description),
        "parameters": [*COMMON_PARAMETERS, *(_parameter(n, f) for n, f in fields.items())],
        "responses": {
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV"),
            (200, exports.XLSX_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="XLSX"),
            **error_responses(400, 401, 403, 404, 429),
        },
        "tags": ["exports"],
    }


class ExportViewSet(OrgViewSet):
    # One export's endpoint (see the module's docstring); `export` names it.
    export: ClassVar[exports.Export]
    filter_backends: list[Any] = []
    pagination_class = None

    def answer(self) -> HttpResponseBase:
        export = type(self).export
        form = exports.export_form(export, actor=self.actor, data=self.request.query_params)
        if not form.is_valid():
            raise exports.form_error(form)
        return exports.export_answer(
            export, actor=self.actor, form=form, organization=self.organization
        )


def export_endpoint(
    name: str,
    export: exports.Export,
    *,
    model: type[Model],
    scope: str | None,
    module: str,
) -> type[ExportViewSet]:
    """The endpoint of `export`, a class `name` of the app's `module`: its schema names
    `model` (what the rows are about); an API key needs `scope` (None: no key reads it,
    people export there)."""

    @extend_schema(**export_schema(export))
    def list_(self: ExportViewSet, request: Request, org_slug: str) -> HttpResponseBase:
        return self.answer()

    attributes = {
        "export": export,
        "model": model,
        "required_scopes": {"list": scope} if scope is not None else {},
        "list": list_,
        "__module__": module,
        "__qualname__": name,
    }
    return type(name, (ExportViewSet,), attributes)
