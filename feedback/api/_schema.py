"""The schema every feedback resource shares, and what API keys are told."""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from perfmgmt.api.schema import COMMON_PARAMETERS, GET_ERRORS, LIST_ERRORS, WRITE_ERRORS

# Lazy: a key is told in the organization's language, which is active only per request.
PERSONAL = cast(
    "str", _("Check-ins, feedback and coaching records are personal; API keys cannot use them.")
)


def _schema(tag: str, serializer: Any, **actions: dict[str, Any]) -> Any:
    common: dict[str, Any] = {"tags": [tag], "parameters": COMMON_PARAMETERS}
    views = {
        "list": extend_schema(**common, responses={200: serializer(many=True), **LIST_ERRORS}),
        "retrieve": extend_schema(**common, responses={200: serializer, **GET_ERRORS}),
    }
    for name, options in actions.items():
        options.setdefault("responses", {200: serializer})
        options["responses"].update(WRITE_ERRORS)
        views[name] = extend_schema(**common, **options)
    return extend_schema_view(**views)
