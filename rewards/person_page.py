"""The praise a person received, on their person page (the feed's own selector)."""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext as _

from perfmgmt.localization import format_day
from perfmgmt.tenancy.models import Membership
from perfmgmt.web.links import optional_reverse
from perfmgmt.web.person_page import Row, Section, bounded_section, register

from .models import Praise
from .selectors import praise_list


@register
def praise_section(reader: Membership, person: Membership) -> Section:
    slug = person.organization.slug

    def row(item: Praise) -> Row:
        detail = format_day(item.created_at)
        if item.value is not None:
            detail = f"{detail} · {item.value.name}"
        return Row(
            title=_("From %(name)s") % {"name": item.giver.display_name},
            url=optional_reverse("rewards:praise_detail", org_slug=slug, praise_id=item.pk),
            detail=detail,
        )

    praise = praise_list(actor=reader, person_id=person.pk).prefetch_related(None)
    section = bounded_section(
        key="praise",
        title=_("Praise received"),
        rows=praise.order_by("-created_at", "-id"),
        row=row,
        empty=_("No praise yet."),
        order=35,
    )
    more = optional_reverse("rewards:praise_feed", org_slug=slug, query=f"person={person.pk}")
    return replace(section, more_url=more, more_label=_("All praise for them"))
