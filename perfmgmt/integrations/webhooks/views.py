"""Owner pages for webhooks: /o/<org_slug>/settings/webhooks/.

Only owners reach them (403 for anyone else in the organization); another organization's
endpoint or delivery is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from perfmgmt.web.base import OrgView
from perfmgmt.web.form_views import OrgFormView, attempt

from . import catalogue, policies, selectors, services
from .forms import EndpointForm
from .models import WebhookEndpoint


class WebhookView(OrgView):
    permission_check = staticmethod(policies.can_manage_webhooks)


def _secret_page(request: HttpRequest, endpoint: WebhookEndpoint, secret: str) -> HttpResponse:
    # The secret is in this response only: no redirect, and nothing may cache it.
    response = render(
        request, "integrations/webhooks/secret.html", {"endpoint": endpoint, "secret": secret}
    )
    response["Cache-Control"] = "no-store"
    return response


class EndpointListView(WebhookView):
    def get(self, request: HttpRequest) -> HttpResponse:
        endpoints = selectors.endpoint_list(actor=self.membership)
        return render(request, "integrations/webhooks/list.html", {"endpoints": endpoints})


class EndpointCreateView(OrgFormView, WebhookView):
    form_class = EndpointForm
    template_name = "integrations/webhooks/create.html"

    def perform(self, form: EndpointForm) -> tuple[WebhookEndpoint, str]:
        return services.endpoint_create(actor=self.membership, **form.cleaned_data)

    def success(self, result: tuple[WebhookEndpoint, str]) -> HttpResponse:
        return _secret_page(self.request, *result)


class EndpointDetailView(WebhookView):
    def get(self, request: HttpRequest, webhook_id: int) -> HttpResponse:
        endpoint = selectors.endpoint_get(actor=self.membership, endpoint_id=webhook_id)
        deliveries = selectors.delivery_list(actor=self.membership, endpoint=endpoint)
        labels = {event.name: event.label for event in catalogue.EVENT_TYPES}
        context: dict[str, Any] = {
            "endpoint": endpoint,
            "deliveries": deliveries[: selectors.DELIVERY_LOG_SIZE],
            "event_labels": [labels.get(name, name) for name in endpoint.event_types],
        }
        return render(request, "integrations/webhooks/detail.html", context)


class EndpointSwitchView(WebhookView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, webhook_id: int) -> HttpResponse:
        endpoint = selectors.endpoint_get(actor=self.membership, endpoint_id=webhook_id)
        enable = not endpoint.is_enabled
        services.endpoint_update(actor=self.membership, endpoint=endpoint, is_enabled=enable)
        if enable:
            messages.success(request, _("The endpoint is on; waiting deliveries are sent now."))
        else:
            messages.success(request, _("The endpoint is off; nothing is sent to it."))
        return redirect("webhooks:detail", org_slug=self.organization.slug, webhook_id=endpoint.pk)


class EndpointRotateView(WebhookView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, webhook_id: int) -> HttpResponse:
        endpoint = selectors.endpoint_get(actor=self.membership, endpoint_id=webhook_id)
        endpoint, secret = services.endpoint_rotate_secret(actor=self.membership, endpoint=endpoint)
        return _secret_page(request, endpoint, secret)


class DeliveryRedeliverView(WebhookView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, delivery_id: int) -> HttpResponse:
        delivery = selectors.delivery_get(actor=self.membership, delivery_id=delivery_id)
        outcome = attempt(
            lambda: services.delivery_redeliver(actor=self.membership, delivery=delivery),
            shown=True,
        )
        if outcome.ok:
            messages.success(request, _("The delivery is being sent again."))
        else:
            messages.error(request, outcome.message)
        return redirect(
            "webhooks:detail", org_slug=self.organization.slug, webhook_id=delivery.endpoint_id
        )
