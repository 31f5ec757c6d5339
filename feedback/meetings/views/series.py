"""The list of one's 1:1s with a form to start one, and a series with its meetings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from perfmgmt.errors import DomainError
from perfmgmt.web.forms import add_domain_error

from .. import selectors, services
from ..forms import CadenceForm, MeetingScheduleForm, SeriesStartForm
from ..models import OneOnOneSeries
from .base import OneOnOneView


class IndexView(OneOnOneView):
    """My 1:1s, their next meeting, and a form to start one with anybody."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.show(self.start_form())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.start_form(request.POST)
        if form.is_valid():
            try:
                series = services.series_start(actor=self.membership, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, "Your 1:1 is set up.")
                return redirect(self.series_url(series))
        return self.show(form, status=400)

    def start_form(self, data: Any = None) -> SeriesStartForm:
        return SeriesStartForm(data, people=self.people(), organization=self.organization)

    def show(self, form: SeriesStartForm, status: int = 200) -> HttpResponse:
        actor = self.membership
        rows = selectors.series_overview(actor=actor)
        context = {"rows": rows, "form": form}
        return render(self.request, "feedback/meetings/index.html", context, status=status)


class SeriesView(OneOnOneView):
    def get(self, request: HttpRequest, series_id: int) -> HttpResponse:
        series = selectors.series_get(actor=self.membership, series_id=series_id)
        return self.show(series)

    def post(self, request: HttpRequest, series_id: int) -> HttpResponse:
        series = selectors.series_get(actor=self.membership, series_id=series_id)
        if "cadence" in request.POST:
            cadence_form = CadenceForm(request.POST)
            if cadence_form.is_valid():
                try:
                    services.series_update(
                        actor=self.membership, series=series, **cadence_form.cleaned_data
                    )
                except DomainError as error:
                    add_domain_error(cadence_form, error)
                else:
                    messages.success(request, "Cadence saved.")
                    return redirect(self.series_url(series))
            return self.show(series, cadence_form=cadence_form, status=400)
        form = MeetingScheduleForm(request.POST, organization=self.organization)
        if form.is_valid():
            try:
                meeting = services.meeting_schedule(
                    actor=self.membership, series=series, **form.cleaned_data
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect(self.meeting_url(meeting))
        return self.show(series, schedule_form=form, status=400)

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
