"""Every time a person reads, in one format and in the reader's time zone.

    {% load moments %}
    {{ checkin.submitted_at|moment }}     2 Dec 2026, 21:11
    {{ goal.due_date|day }}               2 Dec 2026
    {{ period.due|weekday }}              Thursday 3 December
    {{ meeting.starts_at|clock }}         21:11
    {% when note.created_at %}     <time datetime="2026-12-02T21:11:00+01:00">
                                   2 Dec 2026, 21:11</time>
    {% when goal.due_date "day" %} <time datetime="2026-12-02">2 Dec 2026</time>

The formats live in perfmgmt/formats/<language>/formats.py; the helpers in
perfmgmt.localization, for emails and notifications rendered outside a template.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html

from perfmgmt.localization import format_clock, format_day, format_moment, format_weekday

register = template.Library()

register.filter("moment", format_moment)
register.filter("day", format_day)
register.filter("weekday", format_weekday)
register.filter("clock", format_clock)

_KINDS: dict[str, Callable[[Any], str]] = {
    "moment": format_moment,
    "day": format_day,
    "weekday": format_weekday,
}


@register.simple_tag
def when(value: datetime.date | datetime.datetime | None, kind: str = "moment") -> str:
    """A <time> element: machine-readable ISO value, the reader's format as its text."""
    if value is None:
        return ""
    text = _KINDS[kind](value)
    # The machine-readable value on the reader's clock too: 2026-12-03T01:56:00+05:45.
    machine = timezone.localtime(value) if isinstance(value, datetime.datetime) else value
    return format_html('<time datetime="{}">{}</time>', machine.isoformat(), text)
