"""A person's improvement plans on their person page, as the reader may read them (the
plan selector: the person once approved, their managers, HR; nobody else sees a section)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from perfmgmt.localization import format_day
from perfmgmt.tenancy.models import Membership
from perfmgmt.web.links import optional_reverse
from perfmgmt.web.person_page import Row, Section, bounded_section, register

from .models import ImprovementPlan
from .selectors.improvement_plans import improvement_plan_list


@register
def improvement_plans_section(reader: Membership, person: Membership) -> Section | None:
    slug = person.organization.slug
    plans = improvement_plan_list(actor=reader, person_id=person.pk).order_by("-start_date", "-id")

    def row(plan: ImprovementPlan) -> Row:
        return Row(
            title=f"{format_day(plan.start_date)} \N{EN DASH} {format_day(plan.end_date)}",
            url=optional_reverse(
                "reviews:improvement_plan", org_slug=slug, improvement_plan_id=plan.pk
            ),
            detail=plan.get_status_display(),
        )

    section = bounded_section(
        key="improvement_plans",
        title=_("Improvement plans"),
        rows=plans,
        row=row,
        empty="",
        order=80,
    )
    # A person page never says that a plan exists to someone who may not read one.
    return section if section.total else None
