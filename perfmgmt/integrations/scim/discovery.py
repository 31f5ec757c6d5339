"""The discovery answers (RFC 7644 §4), from the descriptions in resources.py."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from django.utils.translation import gettext as _
from scim2_models import Context

from .errors import ScimError
from .resources import RESOURCE_TYPES, SCHEMAS, SERVICE_PROVIDER_CONFIG

LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"


def _dumped(item: Any, base: str, endpoint: str) -> dict[str, Any]:
    data: dict[str, Any] = item.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
    kind = {"Schemas": "Schema", "ResourceTypes": "ResourceType"}.get(endpoint, endpoint)
    location = f"{base}/{endpoint}" + (f"/{data['id']}" if "id" in data else "")
    data["meta"] = {"resourceType": kind, "location": location}
    return data


def _listed(
    items: tuple[Any, ...], path: str, base: str, endpoint: str
) -> tuple[dict[str, Any], int]:
    wanted = unquote(path.split(f"/{endpoint}", 1)[1].strip("/"))
    dumped = [_dumped(item, base, endpoint) for item in items]
    if not wanted:
        return {
            "schemas": [LIST_SCHEMA],
            "totalResults": len(dumped),
            "startIndex": 1,
            "itemsPerPage": len(dumped),
            "Resources": dumped,
        }, 200
    for data in dumped:
        if data.get("id") == wanted:
            return data, 200
    raise ScimError(_("Not found."), scim_type="", status=404)


def schema_answer(path: str, base: str) -> tuple[dict[str, Any], int]:
    return _listed(SCHEMAS, path, base, "Schemas")


def resource_type_answer(path: str, base: str) -> tuple[dict[str, Any], int]:
    return _listed(RESOURCE_TYPES, path, base, "ResourceTypes")


def service_provider_config_answer(path: str, base: str) -> tuple[dict[str, Any], int]:
    parts = path.rstrip("/").split("/ServiceProviderConfig", 1)
    if len(parts) == 2 and parts[1]:
        raise ScimError(_("Not found."), scim_type="", status=404)
    return _dumped(SERVICE_PROVIDER_CONFIG, base, "ServiceProviderConfig"), 200
