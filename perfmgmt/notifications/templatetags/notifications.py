"""`{% notification_badge %}`: the header's unread count for the current membership."""

from __future__ import annotations

from typing import Any

from django import template

from perfmgmt.notifications.selectors import notification_unread_count

register = template.Library()


@register.inclusion_tag("notifications/_badge.html", takes_context=True)
def notification_badge(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    membership = getattr(request, "membership", None)
    if membership is None:
        return {"organization": None, "unread_count": 0}
    return {
        "organization": membership.organization,
        "unread_count": notification_unread_count(actor=membership),
    }
