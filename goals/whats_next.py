"""Goals on the home page's "what's next" list."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from perfmgmt.tenancy.models import Membership
from perfmgmt.web.links import optional_reverse
from perfmgmt.web.whats_next import Item, Priority, register

from .selectors import whats_next_summary


@register
def goals_to_look_at(membership: Membership) -> list[Item]:
    """Goals due soon, needing an update, or waiting for this person's agreement."""
    summary = whats_next_summary(actor=membership)
    slug = membership.organization.slug
    items = []
    if summary.to_agree:
        items.append(
            Item(
                title=ngettext(
                    "%(count)d goal waits for your agreement",
                    "%(count)d goals wait for your agreement",
                    summary.to_agree,
                )
                % {"count": summary.to_agree},
                detail=_("Read the proposal, agree it, and write the reward if there is one."),
                url=optional_reverse(
                    "goals:team" if membership.reports.exists() else "goals:mine", org_slug=slug
                ),
                priority=Priority.HIGH,
            )
        )
    if summary.needs_update:
        items.append(
            Item(
                title=ngettext(
                    "%(count)d goal needs an update",
                    "%(count)d goals need an update",
                    summary.needs_update,
                )
                % {"count": summary.needs_update},
                detail=_("At risk, or not updated for a while: post a short update."),
                url=optional_reverse("goals:attention", org_slug=slug),
                priority=Priority.HIGH,
            )
        )
    if summary.due_soon:
        items.append(
            Item(
                title=ngettext(
                    "%(count)d goal is due within two weeks",
                    "%(count)d goals are due within two weeks",
                    summary.due_soon,
                )
                % {"count": summary.due_soon},
                url=optional_reverse("goals:mine", org_slug=slug),
                priority=Priority.NORMAL,
            )
        )
    return items
