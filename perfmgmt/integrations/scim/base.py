"""The base of every SCIM endpoint: the API base (organization, key, scope), in SCIM's dress.

Tenancy, authentication and permissions stay where the API base enforces them
(perfmgmt/api/base.py); here only the protocol changes: bodies are `application/scim+json`
(plain JSON is read too, some clients send it), every answer is rendered as SCIM whatever
the client accepts, and every error becomes a SCIM error. A person signed in with a browser
session is refused after the object lookup, so another organization's id stays a 404.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework.exceptions import MethodNotAllowed, NotFound, PermissionDenied
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet
from perfmgmt.api.models import Scope
from perfmgmt.api.parsers import JSONParser

from .. import policies
from .errors import ScimError, scim_error_body

SCIM_MEDIA_TYPE = "application/scim+json"


class ScimJSONParser(JSONParser):
    media_type = SCIM_MEDIA_TYPE


class ScimRenderer(JSONRenderer):
    media_type = SCIM_MEDIA_TYPE
    format = "scim"


class AlwaysScim(BaseContentNegotiation):
    """RFC 7644 §3.1: the service answers `application/scim+json`; never a 406."""

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> Any:
        content_type = request.content_type.split(";")[0].strip().lower()
        return next((p for p in parsers if p.media_type == content_type), None)

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


SCIM_ACTIONS = (
    "list",
    "retrieve",
    "create",
    "update",
    "partial_update",
    "destroy",
    "search",
    "not_allowed",
    "unknown",
    "search_everything",
)


class ScimViewSet(OrgViewSet):
    parser_classes = [ScimJSONParser, JSONParser]
    renderer_classes = [ScimRenderer]
    content_negotiation_class = AlwaysScim
    schema = None  # SCIM is described by its own discovery endpoints, not the OpenAPI one
    pagination_class = None
    filter_backends: list[Any] = []
    required_scopes: ClassVar[dict[str, str]] = dict.fromkeys(SCIM_ACTIONS, Scope.SCIM)

    def base_url(self) -> str:
        """This organization's SCIM base URL, as the identity provider was given it."""
        root = reverse("scim:root", kwargs={"org_slug": self.organization.slug})
        return self.request.build_absolute_uri(root).rstrip("/")

    def identity_provider(self) -> None:
        """Only an API key with the `scim` scope provisions (403 for a signed-in person)."""
        if not policies.can_provision(self.actor):
            raise PermissionDenied(_("SCIM takes an API key with the scim scope."))

    def not_allowed(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A method the endpoint does not serve: 405 once the key is known (RFC 7644 §4)."""
        self.identity_provider()
        raise MethodNotAllowed(request.method or "")

    def unknown(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A path under the base URL that names no endpoint: a SCIM 404."""
        self.identity_provider()
        raise NotFound(_("No such endpoint."))

    def search_everything(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """POST /.search over every resource type at once is not offered (RFC 7644 §3.4.3
        lets a service answer 501); /Users/.search and /Groups/.search are."""
        self.identity_provider()
        raise ScimError(_("Search each resource type on its own."), scim_type="", status=501)

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        response.data = scim_error_body(response.status_code, response.data)
        return response
