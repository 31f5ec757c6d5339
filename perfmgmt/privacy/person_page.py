"""A "Personal data" section on the person page, for whoever may see the person's data:
HR admins and owners, and the person themselves."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from perfmgmt.tenancy.models import Membership
from perfmgmt.web.person_page import Row, Section, register

from . import policies


@register
def personal_data_section(reader: Membership, person: Membership) -> Section | None:
    if not policies.can_view_personal_data(reader, person):
        return None
    url = reverse("privacy:person", args=[person.organization.slug, person.pk])
    rows = [Row(title=_("Export or erase this person's data"), url=url)]
    if reader.pk == person.pk:
        rows = [Row(title=_("Download a copy of your data"), url=url)]
    return Section(key="personal_data", title=_("Personal data"), rows=rows, total=1, order=95)
