"""A person's goals on their person page, as the reader may see them (goals.selectors)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from perfmgmt.tenancy.models import Membership
from perfmgmt.web.links import optional_reverse
from perfmgmt.web.person_page import Row, Section, bounded_section, register

from .models import OPEN_STATUSES, Goal, OwnerKind
from .selectors import visible_goals


@register
def goals_section(reader: Membership, person: Membership) -> Section:
    slug = person.organization.slug

    def row(goal: Goal) -> Row:
        return Row(
            title=goal.title,
            url=optional_reverse("goals:detail", org_slug=slug, goal_id=goal.pk),
            detail=_("%(percent)d %% done") % {"percent": goal.progress_percent},
        )

    goals = visible_goals(actor=reader).filter(
        owner_kind=OwnerKind.PERSON, owner_person=person, status__in=OPEN_STATUSES
    )
    return bounded_section(
        key="goals",
        title=_("Goals"),
        # The section names no parent goal: no need to load them.
        rows=goals.prefetch_related(None).order_by("due_date", "id"),
        row=row,
        empty=_("No open goals you can see."),
        order=10,
    )
