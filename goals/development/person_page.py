"""A person's development plans on their person page, as the reader may see them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from perfmgmt.localization import format_day
from perfmgmt.tenancy.models import Membership
from perfmgmt.web.links import optional_reverse
from perfmgmt.web.person_page import Row, Section, bounded_section, register

from .models import DevelopmentPlan
from .selectors import plans_of


@register
def plans_section(reader: Membership, person: Membership) -> Section:
    slug = person.organization.slug

    def row(plan: DevelopmentPlan) -> Row:
        return Row(
            title=_("Plan %(period)s") % {"period": plan.period},
            url=optional_reverse("development:plan", org_slug=slug, plan_id=plan.pk),
            detail=f"{plan.get_status_display()} · {format_day(plan.period_end)}",
        )

    return bounded_section(
        key="development",
        title=_("Development plans"),
        rows=plans_of(actor=reader, person=person).order_by("-period_end", "-id"),
        row=row,
        empty=_("No development plan you can read."),
        order=40,
    )
