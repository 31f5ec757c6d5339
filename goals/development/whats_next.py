"""Home page "what's next" items for development plans (three queries at most)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.selectors import reports_below
from perfmgmt.web.links import optional_reverse
from perfmgmt.web.whats_next import Item, Priority, register

from .models import DevelopmentPlan, PlanStatus


@register
def items_for_person(person: Membership) -> list[Item]:
    """Plans waiting for this person's agreement, and their own plan still in draft."""
    slug = person.organization.slug
    items = []
    waiting = DevelopmentPlan.objects.filter(
        person_id__in=reports_below(manager=person), status=PlanStatus.SUBMITTED
    ).count()
    if waiting:
        items.append(
            Item(
                title=ngettext(
                    "%(count)d development plan waits for your agreement",
                    "%(count)d development plans wait for your agreement",
                    waiting,
                )
                % {"count": waiting},
                detail=_("Read the plan, comment, and agree it."),
                url=optional_reverse("development:home", org_slug=slug) + "?status=submitted",
                priority=Priority.HIGH,
            )
        )
    draft = DevelopmentPlan.objects.filter(person=person, status=PlanStatus.DRAFT).first()
    if draft is not None:
        items.append(
            Item(
                title=_("Your development plan for %(period)s is a draft")
                % {"period": draft.period},
                detail=_("Submit it when it is ready, so your manager can comment and agree it."),
                url=optional_reverse("development:plan", org_slug=slug, plan_id=draft.pk),
                priority=Priority.NORMAL,
            )
        )
    return items
