"""The org chart page and its parts loaded on demand (htmx): a branch's reports, more
people at the top, and the search. Thin views over `org_chart`; each part answers the
same 404 as the page for someone not on the chart or of another organization.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from perfmgmt.web.base import OrgView
from perfmgmt.web.trees import Level, start_of

from . import org_chart
from .models import Membership


class OrgChartView(OrgView):
    """The chart from the top (or opened at one person, `?root=`), with the search."""

    def get(self, request: HttpRequest) -> HttpResponse:
        start = start_of(request.GET.get("start"))
        root_id = request.GET.get("root")
        context: dict[str, Any] = {"search": org_chart.chart_search(query=request.GET.get("q", ""))}
        if root_id:
            person = org_chart.chart_person_get(member_id=root_id)
            context.update(
                focus=person,
                chain=org_chart.chart_chain(person=person),
                chart=org_chart.chart_from(person=person, start=start),
            )
        else:
            context["chart"] = org_chart.org_chart(start=start)
        return render(request, "people/org_chart.html", context)


def _level(
    request: HttpRequest, level: Level[Membership], parent: Membership | None
) -> HttpResponse:
    # The first person loaded takes the id of the "more" link it replaces, so focus moves
    # to them (static/js/htmx-focus.js) instead of dropping to the page.
    key = parent.pk if parent is not None else "top"
    context = {"level": level, "parent": parent, "first_id": f"org-chart-more-{key}-{level.offset}"}
    return render(request, "people/_chart_level.html", context)


class OrgChartTopView(OrgView):
    """More people at the top of the chart, collapsed."""

    def get(self, request: HttpRequest) -> HttpResponse:
        level = org_chart.org_chart(start=start_of(request.GET.get("start")), nested=False)
        return _level(request, level, parent=None)


class OrgChartReportsView(OrgView):
    """A page of one person's reports, collapsed: what opening their branch loads."""

    def get(self, request: HttpRequest, member_id: int) -> HttpResponse:
        person = org_chart.chart_person_get(member_id=member_id)
        level = org_chart.chart_reports(person=person, start=start_of(request.GET.get("start")))
        return _level(request, level, parent=person)


class OrgChartSearchView(OrgView):
    """The people matching a search, a bounded number (the results part of the page)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        search = org_chart.chart_search(query=request.GET.get("q", ""))
        return render(request, "people/_chart_search.html", {"search": search})
