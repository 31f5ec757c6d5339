"""Reviews on the home page's "what's next" list: each review the person should write now,
with its deadline (the same steps as "My reviews")."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from perfmgmt.tenancy.models import Membership
from perfmgmt.web.links import optional_reverse
from perfmgmt.web.whats_next import Item, Priority, register

from .selectors.writing import review_steps

DUE_SOON = timedelta(days=3)


@register
def reviews_to_write(membership: Membership) -> list[Item]:
    """Self-assessments and manager reviews open for writing (two queries)."""
    now = timezone.now()
    slug = membership.organization.slug
    items = []
    for step in review_steps(actor=membership, now=now):
        if not step.to_do:
            continue
        soon = step.deadline is not None and step.deadline - now <= DUE_SOON
        items.append(
            Item(
                title=step.next_step,
                detail=f"{step.title} · {step.status}",
                url=optional_reverse("reviews:review", org_slug=slug, review_id=step.review.pk),
                priority=Priority.URGENT if soon else Priority.HIGH,
            )
        )
    return items
