"""What every 1:1 endpoint shares: the schema of its actions, the scopes keys need, the
refusal of writes by keys (after the lookup, so an unknown id stays a 404), and reading ids
named in a body.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.exceptions import PermissionDenied
from rest_framework.serializers import Serializer

from perfmgmt.api.models import Scope
from perfmgmt.api.schema import COMMON_PARAMETERS, GET_ERRORS, LIST_ERRORS, WRITE_ERRORS
from perfmgmt.errors import DomainError
from perfmgmt.tenancy.policies import Actor

ID_PATTERN = "[0-9]+"
# Keys may call every action so that an unknown id is a 404 before anything else;
# the services refuse every write by a key (403).
SCOPES = dict.fromkeys(["list", "retrieve", "create", "partial_update"], Scope.ONE_ON_ONES_READ)


def _common(summary: str, **kwargs: Any) -> dict[str, Any]:
    return {"summary": summary, "tags": ["one-on-ones"], "parameters": COMMON_PARAMETERS, **kwargs}


def _schema(noun: str, serializer: type[Serializer[Any]], create: Any, update: Any) -> Any:
    return extend_schema_view(
        list=extend_schema(
            **_common(f"List {noun}s"), responses={200: serializer(many=True), **LIST_ERRORS}
        ),
        retrieve=extend_schema(
            **_common(f"Get a {noun}"), responses={200: serializer, **GET_ERRORS}
        ),
        create=extend_schema(
            **_common(f"Create a {noun}"),
            request=create,
            responses={201: serializer, **WRITE_ERRORS},
        ),
        partial_update=extend_schema(
            **_common(f"Change a {noun}"),
            request=update,
            responses={200: serializer, **WRITE_ERRORS},
        ),
    )


def _known(lookup: Any, field: str, message: str) -> Any:
    """An id in a request body the caller cannot see is a field error, not a 404."""
    try:
        return lookup()
    except Http404:
        raise DomainError(
            gettext("Some fields are not valid."), fields={field: [message]}
        ) from None


def refuse_keys(actor: Actor) -> None:
    """Called after the object lookup, so an unknown id stays a 404 for keys too."""
    if actor.is_api_client:
        raise PermissionDenied(gettext("API keys can read 1:1s but not change them."))
