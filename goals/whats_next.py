"""Goals on the home page's "what's next" list."""

from __future__ import annotations

from perfmgmt.tenancy.models import Membership
from perfmgmt.web.links import optional_reverse
from perfmgmt.web.whats_next import Item, Priority, plural, register

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
                title=f"{plural(summary.to_agree, 'goal waits', 'goals wait')} for your agreement",
                detail="Read the proposal, agree it, and write the reward if there is one.",
                url=optional_reverse(
                    "goals:team" if membership.reports.exists() else "goals:mine", org_slug=slug
                ),
                priority=Priority.HIGH,
            )
        )
    if summary.needs_update:
        items.append(
            Item(
                title=f"{plural(summary.needs_update, 'goal needs', 'goals need')} an update",
                detail="At risk, or not updated for a while: post a short update.",
                url=optional_reverse("goals:attention", org_slug=slug),
                priority=Priority.HIGH,
            )
        )
    if summary.due_soon:
        items.append(
            Item(
                title=f"{plural(summary.due_soon, 'goal is', 'goals are')} due within two weeks",
                url=optional_reverse("goals:mine", org_slug=slug),
                priority=Priority.NORMAL,
            )
        )
    return items
