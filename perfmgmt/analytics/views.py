"""The analytics page: the reader's choices, then every metric's tables and charts."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from perfmgmt.web.base import OrgView

from .charts import table_chart
from .forms import AnalyticsForm
from .selectors import analytics_scope, metric_figures, period_for


class AnalyticsView(OrgView):
    def get(self, request: HttpRequest) -> HttpResponse:
        analytics_scope(actor=self.membership)  # a 404 before anything else for others
        form = AnalyticsForm(request.GET or None, actor=self.membership, auto_id="analytics-%s")
        if form.is_bound and not form.is_valid():
            return render(request, "analytics/page.html", {"form": form}, status=400)
        choices = form.cleaned_data if form.is_bound else {}
        scope = analytics_scope(actor=self.membership, team=choices.get("team"))
        period = period_for(scope, choices.get("months"))
        metrics = [
            {
                "metric": found.metric,
                "tables": [{"table": table, "chart": table_chart(table)} for table in found.tables],
            }
            for found in metric_figures(scope=scope, period=period)
        ]
        context = {
            "form": form,
            "scope": scope,
            "period": period,
            "metrics": metrics,
            "export_url": self._export_url(choices),
        }
        return render(request, "analytics/page.html", context)

    def _export_url(self, choices: dict[str, object]) -> str:
        query = {"file_format": "csv", "months": choices.get("months") or ""}
        team = choices.get("team")
        if team is not None:
            query["team"] = team.pk  # type: ignore[attr-defined]
        base = reverse("web:export_analytics", kwargs={"org_slug": self.organization.slug})
        return f"{base}?{urlencode(query)}"
