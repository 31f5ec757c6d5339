"""The meeting page itself, and marking the meeting done, cancelling or moving it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from perfmgmt.web.form_views import attempt

from .. import selectors, services
from ..forms import MeetingScheduleForm
from ..models import Meeting
from .base import SECTIONS, MeetingPageMixin


class MeetingView(MeetingPageMixin):
    """The meeting page: agenda, action items, shared and private notes."""

    def get(self, request: HttpRequest, meeting_id: int) -> HttpResponse:
        meeting = selectors.meeting_get(actor=self.membership, meeting_id=meeting_id)
        section = request.GET.get("section", "")
        if getattr(request, "htmx", False) and section in SECTIONS:
            # The page polls its sections, so both sides see each other's changes.
            return render(request, SECTIONS[section], self.context(meeting))
        return self.show(meeting)


class MeetingStatusView(MeetingPageMixin):
    http_method_names = ["post"]
    services_by_action = {"done": services.meeting_complete, "cancel": services.meeting_cancel}

    def post(self, request: HttpRequest, meeting_id: int) -> HttpResponse:
        meeting = selectors.meeting_get(actor=self.membership, meeting_id=meeting_id)
        action = request.POST.get("action", "")
        if action == "move":
            return self.move(meeting)
        service = self.services_by_action.get(action)
        if service is None:
            choose = _("Choose to mark the meeting done or to cancel it.")
            return self.respond(meeting, "status", status=400, status_error=choose)
        outcome = attempt(lambda: service(actor=self.membership, meeting=meeting), shown=True)
        if not outcome.ok:
            return self.respond(
                meeting, "status", status=outcome.status, status_error=outcome.message
            )
        if getattr(request, "htmx", False):
            # Marking done can create the next meeting: reload the whole page.
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return redirect(self.meeting_url(meeting))

    def move(self, meeting: Meeting) -> HttpResponse:
        form = MeetingScheduleForm(
            self.request.POST, organization=self.organization, auto_id="move-%s"
        )
        if not form.is_valid():
            return self.respond(meeting, "status", status=400, move_form=form)
        outcome = attempt(
            lambda: services.meeting_reschedule(
                actor=self.membership, meeting=meeting, **form.cleaned_data
            ),
            form=form,
        )
        if not outcome.ok:
            return self.respond(meeting, "status", status=outcome.status, move_form=form)
        return self.respond(meeting, "status")
