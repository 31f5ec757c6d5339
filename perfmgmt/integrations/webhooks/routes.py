"""Where the webhook pages and API resources are mounted (imported by ../routes.py)."""

from perfmgmt.api.routes import api_routes
from perfmgmt.web.routes import pages

from .api import WebhookDeliveryViewSet, WebhookEndpointViewSet

pages("o/<slug:org_slug>/settings/webhooks/", "perfmgmt.integrations.webhooks.urls")

api_routes("webhooks", WebhookEndpointViewSet, basename="webhook")
api_routes("webhook-deliveries", WebhookDeliveryViewSet, basename="webhook-delivery")
