"""The review dates of improvement plans on the 1:1 agenda (feedback.meetings.hooks).

A review date shows on the first meeting of a 1:1 between the person and someone above
them that falls on or after it (after the previous meeting, on or before this one), as a
read-only item. Who sees it is the plan selector's rule, asked for the reader: the person
and their manager line read it; an API key or anyone else reading the agenda does not.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.meetings.hooks import AgendaItem
from feedback.meetings.models import Meeting
from perfmgmt.localization import format_day
from perfmgmt.tenancy.context import current_organization
from perfmgmt.tenancy.policies import Actor, person_of
from perfmgmt.web.links import optional_reverse

from .selectors.improvement_plans import review_dates_for_meeting


def _local_day(meeting: Meeting) -> date:
    return timezone.localtime(meeting.scheduled_for, current_organization().zone).date()


def plan_review_dates_on_agenda(
    *, actor: Actor, meeting: Meeting, previous: Meeting | None, items: list[AgendaItem]
) -> None:
    if person_of(actor) is None:
        return
    series = meeting.series
    after = _local_day(previous) if previous is not None else None
    slug = current_organization().slug
    for person, other in ((series.report, series.manager), (series.manager, series.report)):
        dates = review_dates_for_meeting(
            actor=actor, person_id=person.pk, other=other, after=after, until=_local_day(meeting)
        )
        for review_date in dates:
            items.append(
                AgendaItem(
                    title=_("Improvement plan review due %(day)s")
                    % {"day": format_day(review_date.on)},
                    detail=_("Go through the expectations and the support offered."),
                    url=optional_reverse(
                        "reviews:improvement_plan",
                        org_slug=slug,
                        improvement_plan_id=review_date.plan_id,
                    ),
                    kind="improvement_plan",
                )
            )
