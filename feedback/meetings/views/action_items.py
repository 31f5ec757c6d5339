"""Adding an action item on a meeting's page, and ticking or unticking one."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from perfmgmt.tenancy.models import Membership
from perfmgmt.web.form_views import attempt

from .. import selectors, services
from ..forms import ActionItemForm
from ..models import Meeting
from .base import MeetingFormView, MeetingPageMixin


class ActionItemAddView(MeetingFormView):
    form_class = ActionItemForm
    section = "actions"
    form_key = "action_form"

    def get_form_kwargs(self) -> dict[str, Any]:
        series = self.meeting.series
        sides = Membership.objects.filter(pk__in=[series.manager_id, series.report_id])
        return {"people": sides}

    def perform(self, form: ActionItemForm) -> Any:
        return services.action_item_create(
            actor=self.membership, meeting=self.meeting, **form.cleaned_data
        )


class ActionItemDoneView(MeetingPageMixin):
    """Tick or untick an item on a meeting's page; it counts as done in that meeting."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, action_item_id: int) -> HttpResponse:
        item = selectors.action_item_get(actor=self.membership, item_id=action_item_id)
        meeting = self.context_meeting(item)
        outcome = attempt(
            lambda: services.action_item_update(
                actor=self.membership, item=item, done="done" in request.POST, in_meeting=meeting
            ),
            shown=True,
        )
        if not outcome.ok:
            return self.respond(
                meeting, "actions", status=outcome.status, status_error=outcome.message
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
