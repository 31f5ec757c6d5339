"""A person's goals on their person page, as the reader may see them (goals.selectors)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from perfmgmt.tenancy.models import Membership
from perfmgmt.web.links import optional_reverse
from perfmgmt.web.person_page import SECTION_ROWS, Row, Section, register

from .models import OPEN_STATUSES, OwnerKind
from .selectors import visible_goals


@register
def goals_section(reader: Membership, person: Membership) -> Section:
    goals = visible_goals(actor=reader).filter(
        owner_kind=OwnerKind.PERSON, owner_person=person, status__in=OPEN_STATUSES
    )
    shown = list(goals.order_by("due_date", "id")[:SECTION_ROWS])
    slug = person.organization.slug
    return Section(
        key="goals",
        title=_("Goals"),
        rows=[
            Row(
                title=goal.title,
                url=optional_reverse("goals:detail", org_slug=slug, goal_id=goal.pk),
                detail=_("%(percent)d %% done") % {"percent": goal.progress_percent},
            )
            for goal in shown
        ],
        total=goals.count(),
        empty=_("No open goals you can see."),
        order=10,
    )
