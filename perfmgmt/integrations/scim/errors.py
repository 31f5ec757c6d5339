"""SCIM's error body (RFC 7644 §3.12) for every failure of a SCIM endpoint.

The API base turns every exception into its own body first (perfmgmt/api/errors.py); the
SCIM views rewrite that answer into `urn:ietf:params:scim:api:messages:2.0:Error` with the
same status, so nothing answers differently from the rest of the API but the shape.
"""

from __future__ import annotations

from typing import Any

from perfmgmt.errors import ConflictError, DomainError

ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"


class ScimError(DomainError):
    """A request SCIM describes with a `scimType` (invalidFilter, invalidValue, ...)."""

    def __init__(self, message: str, *, scim_type: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = scim_type
        self.status_code = status


class ScimConflict(ConflictError):
    code = "uniqueness"


# The API's error codes that are also a SCIM `scimType`; other 400s are `invalidValue`.
_SCIM_TYPES = {
    "invalidFilter",
    "tooMany",
    "uniqueness",
    "mutability",
    "invalidSyntax",
    "invalidPath",
    "noTarget",
    "invalidValue",
    "invalidVers",
    "sensitive",
}
_BY_API_CODE = {"parse_error": "invalidSyntax", "conflict": "uniqueness"}


def scim_error_body(status: int, api_body: Any) -> dict[str, Any]:
    """The SCIM error for an answer of the API's error handler (`{"error": {...}}`)."""
    error = api_body.get("error", {}) if isinstance(api_body, dict) else {}
    code = str(error.get("code", ""))
    detail = str(error.get("message", "")) or "Error."
    fields = error.get("fields") or {}
    if fields:
        detail = " ".join(
            [
                detail,
                *(f"{name}: {' '.join(map(str, messages))}" for name, messages in fields.items()),
            ]
        )
    body: dict[str, Any] = {"schemas": [ERROR_SCHEMA], "status": str(status), "detail": detail}
    scim_type = code if code in _SCIM_TYPES else _BY_API_CODE.get(code)
    if scim_type is None and status == 400:
        scim_type = "invalidValue"
    if scim_type is not None and status in (400, 409, 413):
        body["scimType"] = scim_type
    return body
