"""One domain error type for every rule a service enforces.

Views turn it into a form error, the API into a 400 (or 403, 404, 409) with field
messages. It never becomes a 500. Services raise these, never Http404.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404


class DomainError(Exception):
    status_code = 400
    code = "invalid"

    def __init__(self, message: str = "", *, fields: dict[str, list[str]] | None = None) -> None:
        self.message = message or "The request is not valid."
        self.fields = fields or {}
        super().__init__(self.message)

    @classmethod
    def from_validation_error(cls, error: ValidationError) -> "DomainError":
        if hasattr(error, "error_dict"):
            fields = {
                ("non_field_errors" if name == "__all__" else name): [str(m) for m in msgs]
                for name, msgs in error.message_dict.items()
            }
            return cls("Some fields are not valid.", fields=fields)
        return cls("; ".join(str(m) for m in error.messages))


class ConflictError(DomainError):
    """The request is valid but clashes with the current state (HTTP 409).

    `current`: what is stored now, when the caller needs it to keep its own work beside it
    (a stale save); the API answers it as `error.current`."""

    status_code = 409
    code = "conflict"

    @property
    def current(self) -> dict[str, Any] | None:
        return None


class PermissionDeniedError(DomainError):
    status_code = 403
    code = "permission_denied"


class NotFoundError(DomainError, Http404):
    """What the request names does not exist here (HTTP 404); another organization's object
    is answered the same way. Also an Http404, so a page that does not catch it answers 404."""

    status_code = 404
    code = "not_found"


def full_clean_or_raise(instance: Any, **kwargs: Any) -> None:
    """`instance.full_clean(**kwargs)`, its ValidationError as a DomainError with fields."""
    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        raise DomainError.from_validation_error(error) from None
