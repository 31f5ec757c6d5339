"""Reviews on the home page's "what's next" list: the same steps as "My reviews" that have
a next step; what the person should write now first, with its deadline."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from perfmgmt.tenancy.models import Membership
from perfmgmt.web.links import optional_reverse
from perfmgmt.web.whats_next import Item, Priority, register

from .selectors.steps import review_steps

DUE_SOON = timedelta(days=3)


@register
def reviews_to_write(membership: Membership) -> list[Item]:
    """Self-assessments and manager reviews to write, and what the person waits for (two
    queries)."""
    now = timezone.now()
    slug = membership.organization.slug
    items = []
    for step in review_steps(actor=membership, now=now):
        if not step.next_step:
            continue  # nothing comes next (submitted, or closed): My reviews still shows it
        soon = step.deadline is not None and step.deadline - now <= DUE_SOON
        # Waiting for someone else, or for a phase to open, comes last.
        priority = (Priority.URGENT if soon else Priority.HIGH) if step.to_do else Priority.LOW
        if step.released:
            url = optional_reverse(
                "reviews:released", org_slug=slug, participant_id=step.review.participant_id
            )
        else:
            url = optional_reverse("reviews:review", org_slug=slug, review_id=step.review.pk)
        items.append(
            Item(
                title=step.next_step,
                detail=f"{step.title} · {step.status}",
                url=url,
                priority=priority,
            )
        )
    return items


@register
def retrospectives_to_answer(membership: Membership) -> list[Item]:
    """An open retrospective of a cycle the person took part in, not answered yet (one
    query)."""
    from django.utils.translation import gettext as _

    from perfmgmt.localization import format_moment

    from .selectors.retrospectives import retrospectives_to_answer as to_answer

    slug = membership.organization.slug
    return [
        Item(
            title=_("Tell us how the cycle went"),
            detail=_("%(cycle)s · open until %(when)s")
            % {"cycle": retrospective.cycle.name, "when": format_moment(retrospective.closes_at)},
            url=optional_reverse(
                "reviews:retrospective", org_slug=slug, retrospective_id=retrospective.pk
            ),
            priority=Priority.NORMAL,
        )
        for retrospective in to_answer(membership, timezone.now())
    ]
