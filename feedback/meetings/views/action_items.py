"""Adding an action item on a meeting's page, and ticking or unticking one."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from perfmgmt.errors import DomainError
from perfmgmt.tenancy.models import Membership
from perfmgmt.web.forms import add_domain_error

from .. import selectors, services
from ..forms import ActionItemForm
from ..models import Meeting
from .base import MeetingPageMixin, _status_for


class ActionItemAddView(MeetingPageMixin):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, meeting_id: int) -> HttpResponse:
        meeting = selectors.meeting_get(actor=self.membership, meeting_id=meeting_id)
        series = meeting.series
        sides = Membership.objects.filter(pk__in=[series.manager_id, series.report_id])
        form = ActionItemForm(request.POST, people=sides)
        if form.is_valid():
            try:
                services.action_item_create(
                    actor=self.membership, meeting=meeting, **form.cleaned_data
                )
            except DomainError as error:
                add_domain_error(form, error)
                return self.respond(meeting, "actions", status=_status_for(error), action_form=form)
            return self.respond(meeting, "actions")
        return self.respond(meeting, "actions", status=400, action_form=form)


class ActionItemDoneView(MeetingPageMixin):
    """Tick or untick an item on a meeting's page; it counts as done in that meeting."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, action_item_id: int) -> HttpResponse:
        item = selectors.action_item_get(actor=self.membership, item_id=action_item_id)
        meeting = self.context_meeting(item)
        try:
            services.action_item_update(
                actor=self.membership, item=item, done="done" in request.POST, in_meeting=meeting
            )
        except DomainError as error:
            return self.respond(
                meeting, "actions", status=_status_for(error), status_error=error.message
            )
        return self.respond(meeting, "actions")

    def context_meeting(self, item: Any) -> Meeting:
        """The meeting named in the form when it is one of the item's series, else its own."""
        raw = self.request.POST.get("meeting", "")
        if raw.isdigit():
            found = (
                selectors.meeting_list(actor=self.membership, series_id=item.series_id)
                .filter(pk=int(raw))
                .first()
            )
            if found is not None:
                return found
        return selectors.meeting_get(actor=self.membership, meeting_id=item.meeting_id)
