"""The API's JSON renderer: DRF's, and for a list page whose rows PostgreSQL wrote
(`perfmgmt.api.jsonrows`: its `results` are `Written`), orjson, which embeds that text as
it is instead of parsing and writing it again."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from rest_framework import renderers


@dataclass(frozen=True)
class Written:
    """JSON text written elsewhere (by PostgreSQL), to be embedded as it is."""

    text: str


class JSONRenderer(renderers.JSONRenderer):
    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if not (isinstance(data, Mapping) and _has_written(data)):
            return super().render(data, accepted_media_type, renderer_context)
        if self.get_indent(accepted_media_type or "", renderer_context or {}):
            # An indented answer was asked for: DRF writes it, from the text parsed.
            parsed = {key: _parsed(value) for key, value in data.items()}
            return super().render(parsed, accepted_media_type, renderer_context)
        return orjson.dumps({key: _embedded(value) for key, value in data.items()})


def _has_written(data: Mapping[str, Any]) -> bool:
    return any(isinstance(value, Written) for value in data.values())


def _parsed(value: Any) -> Any:
    return json.loads(value.text) if isinstance(value, Written) else value


def _embedded(value: Any) -> Any:
    return orjson.Fragment(value.text) if isinstance(value, Written) else value
