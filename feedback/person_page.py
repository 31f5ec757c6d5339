"""A person's check-ins and the feedback they received, on their person page, as the reader
may see them (the same selectors as the check-in and feedback pages)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from perfmgmt.localization import format_day
from perfmgmt.tenancy.models import Membership
from perfmgmt.web.links import optional_reverse
from perfmgmt.web.person_page import SECTION_ROWS, Row, Section, register

from .selectors.checkins import checkin_list
from .selectors.feedback import feedback_list


def _period(start: date, end: date) -> str:
    return f"{format_day(start)} \N{EN DASH} {format_day(end)}"


@register
def checkins_section(reader: Membership, person: Membership) -> Section:
    checkins = checkin_list(actor=reader, person_id=person.pk)
    shown = list(checkins.order_by("-period_start", "-id")[:SECTION_ROWS])
    slug = person.organization.slug
    return Section(
        key="checkins",
        title=_("Check-ins"),
        rows=[
            Row(
                title=_period(checkin.period_start, checkin.period_end),
                url=optional_reverse(
                    "feedback:checkin_detail", org_slug=slug, checkin_id=checkin.pk
                ),
                detail=checkin.get_status_display(),
            )
            for checkin in shown
        ],
        total=checkins.count(),
        empty=_("No check-ins you can read."),
        order=20,
    )


@register
def feedback_section(reader: Membership, person: Membership) -> Section:
    received = feedback_list(actor=reader, person_id=person.pk)
    shown = list(received.order_by("-created_at", "-id")[:SECTION_ROWS])
    slug = person.organization.slug
    return Section(
        key="feedback",
        title=_("Feedback received"),
        rows=[
            Row(
                title=_("From %(name)s") % {"name": item.giver.display_name},
                url=optional_reverse(
                    "feedback:feedback_detail", org_slug=slug, feedback_id=item.pk
                ),
                detail=format_day(item.created_at),
            )
            for item in shown
        ],
        total=received.count(),
        empty=_("No feedback you can read."),
        order=30,
    )
