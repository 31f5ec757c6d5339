"""A person's check-ins and the feedback they received, on their person page, as the reader
may see them (the same selectors as the check-in and feedback pages)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from perfmgmt.localization import format_day
from perfmgmt.tenancy.models import Membership
from perfmgmt.web.links import optional_reverse
from perfmgmt.web.person_page import Row, Section, bounded_section, register

from .models import CheckIn, Feedback
from .selectors.checkins import checkin_list
from .selectors.feedback import feedback_list


@register
def checkins_section(reader: Membership, person: Membership) -> Section:
    slug = person.organization.slug

    def row(checkin: CheckIn) -> Row:
        start, end = format_day(checkin.period_start), format_day(checkin.period_end)
        return Row(
            title=f"{start} \N{EN DASH} {end}",
            url=optional_reverse("feedback:checkin_detail", org_slug=slug, checkin_id=checkin.pk),
            detail=checkin.get_status_display(),
        )

    return bounded_section(
        key="checkins",
        title=_("Check-ins"),
        rows=checkin_list(actor=reader, person_id=person.pk).order_by("-period_start", "-id"),
        row=row,
        empty=_("No check-ins you can read."),
        order=20,
    )


@register
def feedback_section(reader: Membership, person: Membership) -> Section:
    slug = person.organization.slug

    def row(item: Feedback) -> Row:
        return Row(
            title=_("From %(name)s") % {"name": item.giver.display_name},
            url=optional_reverse("feedback:feedback_detail", org_slug=slug, feedback_id=item.pk),
            detail=format_day(item.created_at),
        )

    return bounded_section(
        key="feedback",
        title=_("Feedback received"),
        rows=feedback_list(actor=reader, recipient_id=person.pk).order_by("-created_at", "-id"),
        row=row,
        empty=_("No feedback you can read."),
        order=30,
    )
