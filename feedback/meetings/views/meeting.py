"""The meeting page itself, and marking the meeting done, cancelling or moving it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from perfmgmt.errors import DomainError
from perfmgmt.web.forms import add_domain_error

from .. import selectors, services
from ..forms import MeetingScheduleForm
from ..models import Meeting
from .base import SECTIONS, MeetingPageMixin, _status_for


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

    def post(self, request: HttpRequest, meeting_id: int) -> HttpResponse:
        meeting = selectors.meeting_get(actor=self.membership, meeting_id=meeting_id)
        action = request.POST.get("action", "")
        if action == "move":
            return self.move(meeting)
        try:
            if action == "done":
                services.meeting_complete(actor=self.membership, meeting=meeting)
            elif action == "cancel":
                services.meeting_cancel(actor=self.membership, meeting=meeting)
            else:
                raise DomainError("Choose to mark the meeting done or to cancel it.")
        except DomainError as error:
            return self.respond(
                meeting, "status", status=_status_for(error), status_error=error.message
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
        if form.is_valid():
            try:
                services.meeting_reschedule(
                    actor=self.membership, meeting=meeting, **form.cleaned_data
                )
            except DomainError as error:
                add_domain_error(form, error)
                return self.respond(meeting, "status", status=_status_for(error), move_form=form)
            return self.respond(meeting, "status")
        return self.respond(meeting, "status", status=400, move_form=form)
