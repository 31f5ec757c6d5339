"""Webhooks over the API: /api/v1/orgs/<org_slug>/webhooks/ and .../webhook-deliveries/.

Thin: parse, call one service or selector, answer. An endpoint's secret is answered by
create and rotate-secret only (with `Cache-Control: no-store`).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet
from perfmgmt.api.models import Scope
from perfmgmt.api.schema import ORG_SLUG_PARAMETER, error_responses

from . import selectors, services
from .models import WebhookDelivery, WebhookEndpoint
from .serializers import (
    DeliverySerializer,
    EndpointInputSerializer,
    EndpointSerializer,
    EndpointWithSecretSerializer,
)

READ, WRITE = Scope.WEBHOOKS_READ, Scope.WEBHOOKS_WRITE
_COMMON: dict[str, Any] = {"tags": ["webhooks"], "parameters": [ORG_SLUG_PARAMETER]}


def _with_secret(endpoint: WebhookEndpoint, secret: str, code: int) -> Response:
    data = EndpointWithSecretSerializer(endpoint, context={"secret": secret}).data
    response = Response(data, status=code)
    response["Cache-Control"] = "no-store"
    return response


@extend_schema_view(
    list=extend_schema(summary="List webhook endpoints", **_COMMON),
    retrieve=extend_schema(summary="Get a webhook endpoint", **_COMMON),
    create=extend_schema(
        summary="Register a webhook endpoint",
        description="The answer carries the signing secret, once.",
        request=EndpointInputSerializer,
        responses={201: EndpointWithSecretSerializer, **error_responses(400, 401, 403, 404, 409)},
        **_COMMON,
    ),
    partial_update=extend_schema(
        summary="Change a webhook endpoint (also turn it on or off with `enabled`)",
        request=EndpointInputSerializer,
        responses={200: EndpointSerializer, **error_responses(400, 401, 403, 404)},
        **_COMMON,
    ),
    destroy=extend_schema(summary="Remove a webhook endpoint", **_COMMON),
    rotate_secret=extend_schema(
        summary="Rotate the signing secret",
        description="The old secret keeps signing beside the new one for 24 hours.",
        request=None,
        responses={200: EndpointWithSecretSerializer, **error_responses(401, 403, 404)},
        **_COMMON,
    ),
    deliveries=extend_schema(
        summary="The endpoint's delivery log",
        responses={200: DeliverySerializer(many=True), **error_responses(401, 403, 404)},
        **_COMMON,
    ),
)
class WebhookEndpointViewSet(OrgViewSet):
    model = WebhookEndpoint
    serializer_class = EndpointSerializer
    lookup_url_kwarg = "webhook_id"
    required_scopes = {
        "list": READ,
        "retrieve": READ,
        "deliveries": READ,
        "create": WRITE,
        "partial_update": WRITE,
        "destroy": WRITE,
        "rotate_secret": WRITE,
    }

    def _endpoint(self) -> WebhookEndpoint:
        return selectors.endpoint_get(actor=self.actor, endpoint_id=self.object_id())

    def list(self, request: Request, org_slug: str) -> Response:
        return self.page(selectors.endpoint_list(actor=self.actor))

    def retrieve(self, request: Request, org_slug: str, webhook_id: str) -> Response:
        return self.present(self._endpoint())

    def create(self, request: Request, org_slug: str) -> Response:
        data = self.parse(EndpointInputSerializer)
        data.pop("enabled", None)
        endpoint, secret = services.endpoint_create(actor=self.actor, **data)
        return _with_secret(endpoint, secret, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, org_slug: str, webhook_id: str) -> Response:
        endpoint = self._endpoint()
        data = self.parse(EndpointInputSerializer, partial=True)
        if "enabled" in data:
            data["is_enabled"] = data.pop("enabled")
        services.endpoint_update(actor=self.actor, endpoint=endpoint, **data)
        return self.present(self._endpoint())

    def destroy(self, request: Request, org_slug: str, webhook_id: str) -> Response:
        services.endpoint_delete(actor=self.actor, endpoint=self._endpoint())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request: Request, org_slug: str, webhook_id: str) -> Response:
        endpoint, secret = services.endpoint_rotate_secret(
            actor=self.actor, endpoint=self._endpoint()
        )
        return _with_secret(endpoint, secret, status.HTTP_200_OK)

    @action(detail=True, methods=["get"])
    def deliveries(self, request: Request, org_slug: str, webhook_id: str) -> Response:
        endpoint = self._endpoint()
        deliveries = selectors.delivery_list(actor=self.actor, endpoint=endpoint)
        return self.page(deliveries, serializer=DeliverySerializer)


@extend_schema_view(
    retrieve=extend_schema(summary="Get a webhook delivery", **_COMMON),
    redeliver=extend_schema(
        summary="Send a delivery again",
        description="The same message (same `webhook-id`) is sent again now.",
        request=None,
        responses={200: DeliverySerializer, **error_responses(401, 403, 404, 409)},
        **_COMMON,
    ),
)
class WebhookDeliveryViewSet(OrgViewSet):
    model = WebhookDelivery
    serializer_class = DeliverySerializer
    lookup_url_kwarg = "delivery_id"
    required_scopes = {"retrieve": READ, "redeliver": WRITE}

    def _delivery(self) -> WebhookDelivery:
        return selectors.delivery_get(actor=self.actor, delivery_id=self.object_id())

    def retrieve(self, request: Request, org_slug: str, delivery_id: str) -> Response:
        return self.present(self._delivery())

    @action(detail=True, methods=["post"])
    def redeliver(self, request: Request, org_slug: str, delivery_id: str) -> Response:
        delivery = services.delivery_redeliver(actor=self.actor, delivery=self._delivery())
        return self.present(self._delivery_fresh(delivery.pk))

    def _delivery_fresh(self, delivery_id: int) -> WebhookDelivery:
        return selectors.delivery_get(actor=self.actor, delivery_id=delivery_id)
