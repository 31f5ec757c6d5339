"""The inbox (htmx-aware) and HR's email delivery page: thin views over the notification
selectors and services."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from perfmgmt.ids import optional_id
from perfmgmt.web.base import OrgView

from . import deliveries, policies, selectors, services

PAGE_SIZE = 25
# Fired (HX-Trigger) whenever the unread count changes; the header badge listens for it.
CHANGED_EVENT = "notifications-changed"


def _changed_trigger(unread: int) -> str:
    return json.dumps({CHANGED_EVENT: {"unread": unread}})


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


class InboxView(OrgView):
    def get(self, request: HttpRequest) -> HttpResponse:
        notifications = selectors.notification_list(actor=self.membership)
        page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "notifications/inbox.html",
            {
                "page": page,
                "unread_count": selectors.notification_unread_count(actor=self.membership),
            },
        )


class MarkReadView(OrgView):
    """Mark one notification read. htmx gets the row back; a form post is redirected to the
    notification's page (`next`) or back to the inbox."""

    def post(self, request: HttpRequest, notification_id: int) -> HttpResponse:
        notification = selectors.notification_get(
            actor=self.membership, notification_id=notification_id
        )
        services.notification_mark_read(actor=self.membership, notification=notification)
        unread = selectors.notification_unread_count(actor=self.membership)
        next_url = request.POST.get("next") or request.GET.get("next") or ""
        safe_next = next_url and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        if _is_htmx(request):
            if safe_next:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = next_url
            else:
                response = render(
                    request, "notifications/_notification.html", {"notification": notification}
                )
            response["HX-Trigger"] = _changed_trigger(unread)
            return response
        if safe_next:
            return redirect(next_url)
        return redirect("notifications:inbox", org_slug=self.organization.slug)


class MarkAllReadView(OrgView):
    def post(self, request: HttpRequest) -> HttpResponse:
        services.notification_mark_all_read(actor=self.membership)
        if not _is_htmx(request):
            return redirect("notifications:inbox", org_slug=self.organization.slug)
        notifications = selectors.notification_list(actor=self.membership)
        page = Paginator(notifications, PAGE_SIZE).get_page(request.POST.get("page"))
        response = render(
            request, "notifications/_inbox_list.html", {"page": page, "unread_count": 0}
        )
        response["HX-Trigger"] = _changed_trigger(0)
        return response


class BadgeView(OrgView):
    """The header's unread count, re-fetched by htmx when the count changes.

    The header swaps this into the count slot inside the bell's link, so the answer is the
    count alone (the header's own fragment), never a second link.
    """

    def get(self, request: HttpRequest) -> HttpResponse:
        html = render_to_string(
            "web/includes/notification_count.html",
            # As the page's membership look-up counted it, at the start of this request.
            {"count": selectors.header_unread_count(actor=self.membership)},
            request=request,
        )
        response = HttpResponse(html)
        response["Cache-Control"] = "no-store"
        return response


class EmailDeliveriesView(OrgView):
    """HR's view of the outbox: counts by state and the failed (or retrying) addresses."""

    permission_check = staticmethod(policies.can_view_email_deliveries)

    def get(self, request: HttpRequest) -> HttpResponse:
        which = request.GET.get("list", "failed")
        which = which if which in deliveries.LISTS else "failed"
        before = optional_id(request.GET.get("before"))
        rows, next_before = selectors.email_delivery_list(
            actor=self.membership, which=which, before=before
        )
        context = {
            "counts": selectors.email_delivery_counts(actor=self.membership),
            "rows": rows,
            "which": which,
            "next_before": next_before,
            "paged": before is not None,
        }
        return render(request, "notifications/deliveries.html", context)


class EmailResendView(OrgView):
    """Send one failed email again (POST). Resending twice sends it once."""

    permission_check = staticmethod(policies.can_resend_email)

    def post(self, request: HttpRequest, notification_id: int) -> HttpResponse:
        notification = selectors.email_delivery_get(
            actor=self.membership, notification_id=notification_id
        )
        if services.email_resend(actor=self.membership, notification=notification):
            messages.success(
                request,
                _("The email to %(email)s will be sent again.")
                % {"email": notification.recipient.user.email},
            )
        else:
            messages.info(request, _("That email is not failed; nothing to resend."))
        return redirect("notifications:deliveries", org_slug=self.organization.slug)


class EmailResendFailedView(OrgView):
    permission_check = staticmethod(policies.can_resend_email)

    def post(self, request: HttpRequest) -> HttpResponse:
        queued = services.email_resend_failed(actor=self.membership)
        messages.success(
            request,
            ngettext(
                "%(count)s failed email will be sent again.",
                "%(count)s failed emails will be sent again.",
                queued,
            )
            % {"count": queued},
        )
        return redirect("notifications:deliveries", org_slug=self.organization.slug)
