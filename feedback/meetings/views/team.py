"""The manager's team page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from perfmgmt.web.base import OrgView

from ..team import team_overview


class TeamView(OrgView):
    """For a manager: each direct report's check-in, 1:1, feedback and goal signals."""

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = team_overview(manager=self.membership)
        return render(request, "feedback/meetings/team.html", {"rows": rows})
