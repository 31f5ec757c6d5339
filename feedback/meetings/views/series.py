"""The list of one's 1:1s with a form to start one, and a series with its meetings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from perfmgmt.web.form_views import OrgFormView, attempt

from .. import selectors, services
from ..forms import CadenceForm, MeetingScheduleForm, SeriesStartForm
from ..models import OneOnOneSeries
from .base import OneOnOneView


class IndexView(OrgFormView, OneOnOneView):
    """My 1:1s, their next meeting, and a form to start one with anybody, found by a
    person search (perfmgmt/tenancy/person_search.py)."""

    form_class = SeriesStartForm
    template_name = "feedback/meetings/index.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"actor": self.membership, "organization": self.organization}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {**context, "rows": selectors.series_overview(actor=self.membership)}

    def perform(self, form: SeriesStartForm) -> OneOnOneSeries:
        return services.series_start(actor=self.membership, **form.cleaned_data)

    def success(self, series: OneOnOneSeries) -> HttpResponse:
        messages.success(self.request, _("Your 1:1 is set up."))
        return redirect(self.series_url(series))


class SeriesView(OneOnOneView):
    def get(self, request: HttpRequest, series_id: int) -> HttpResponse:
        series = selectors.series_get(actor=self.membership, series_id=series_id)
        return self.show(series)

    def post(self, request: HttpRequest, series_id: int) -> HttpResponse:
        series = selectors.series_get(actor=self.membership, series_id=series_id)
        if "cadence" in request.POST:
            return self.save_cadence(series)
        return self.schedule(series)

    def save_cadence(self, series: OneOnOneSeries) -> HttpResponse:
        form = CadenceForm(self.request.POST)
        if not form.is_valid():
            return self.show(series, cadence_form=form, status=400)
        outcome = attempt(
            lambda: services.series_update(
                actor=self.membership, series=series, **form.cleaned_data
            ),
            form=form,
        )
        if not outcome.ok:
            return self.show(series, cadence_form=form, status=outcome.status)
        messages.success(self.request, _("Cadence saved."))
        return redirect(self.series_url(series))

    def schedule(self, series: OneOnOneSeries) -> HttpResponse:
        form = MeetingScheduleForm(self.request.POST, organization=self.organization)
        if not form.is_valid():
            return self.show(series, schedule_form=form, status=400)
        outcome = attempt(
            lambda: services.meeting_schedule(
                actor=self.membership, series=series, **form.cleaned_data
            ),
            form=form,
        )
        if outcome.result is None:
            return self.show(series, schedule_form=form, status=outcome.status)
        return redirect(self.meeting_url(outcome.result))

    def show(
        self,
        series: OneOnOneSeries,
        *,
        schedule_form: MeetingScheduleForm | None = None,
        cadence_form: CadenceForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        context = {
            "series": series,
            "other": series.report if series.manager_id == self.membership.pk else series.manager,
            "meetings": list(
                selectors.meeting_list(actor=self.membership, series_id=series.pk).order_by(
                    "-scheduled_for"
                )
            ),
            "open_items": list(
                selectors.action_item_list(actor=self.membership, series_id=series.pk, done=False)
            ),
            "schedule_form": schedule_form or MeetingScheduleForm(organization=self.organization),
            "cadence_form": cadence_form or CadenceForm(initial={"cadence": series.cadence}),
        }
        return render(self.request, "feedback/meetings/series.html", context, status=status)
