"""A person's development plans on their person page, as the reader may see them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from perfmgmt.localization import format_day
from perfmgmt.tenancy.models import Membership
from perfmgmt.web.links import optional_reverse
from perfmgmt.web.person_page import SECTION_ROWS, Row, Section, register

from .selectors import plan_list


@register
def plans_section(reader: Membership, person: Membership) -> Section:
    plans = plan_list(actor=reader, person_id=person.pk)
    shown = list(plans.order_by("-period_end", "-id")[:SECTION_ROWS])
    slug = person.organization.slug
    return Section(
        key="development",
        title=_("Development plans"),
        rows=[
            Row(
                title=_("Plan %(period)s") % {"period": plan.period},
                url=optional_reverse("development:plan", org_slug=slug, plan_id=plan.pk),
                detail=f"{plan.get_status_display()} · {format_day(plan.period_end)}",
            )
            for plan in shown
        ],
        total=plans.count(),
        empty=_("No development plan you can read."),
        order=40,
    )
