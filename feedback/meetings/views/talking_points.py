"""Changes to a meeting's agenda: adding a talking point, editing, ticking, moving or
removing one.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from perfmgmt.errors import ConflictError, DomainError
from perfmgmt.web.forms import add_domain_error

from .. import selectors, services
from ..forms import TalkingPointForm, VersionedTextForm
from ..models import Meeting
from .base import MeetingPageMixin, _link_choices, _status_for


class TalkingPointAddView(MeetingPageMixin):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, meeting_id: int) -> HttpResponse:
        meeting = selectors.meeting_get(actor=self.membership, meeting_id=meeting_id)
        links = _link_choices(self.membership, meeting.series)
        form = TalkingPointForm(request.POST, goals=links["goals"], feedback=links["feedback"])
        if form.is_valid():
            try:
                services.talking_point_add(
                    actor=self.membership,
                    meeting=meeting,
                    text=form.cleaned_data["text"],
                    goal_id=form.cleaned_data.get("goal"),
                    feedback_id=form.cleaned_data.get("feedback"),
                )
            except DomainError as error:
                add_domain_error(form, error)
                return self.respond(
                    meeting, "agenda", status=_status_for(error), add_point_form=form
                )
            return self.respond(meeting, "agenda")
        return self.respond(meeting, "agenda", status=400, add_point_form=form)


class TalkingPointChangeView(MeetingPageMixin):
    """Edit the text (with its version), tick it discussed, move it up or down, or remove
    it (its author only)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, talking_point_id: int) -> HttpResponse:
        point = selectors.talking_point_get(actor=self.membership, point_id=talking_point_id)
        meeting = point.meeting
        action = request.POST.get("action", "edit")
        try:
            if action == "discussed":
                services.talking_point_update(
                    actor=self.membership, point=point, discussed="discussed" in request.POST
                )
            elif action == "remove":
                services.talking_point_delete(actor=self.membership, point=point)
            elif action in ("up", "down"):
                position = point.position - 1 if action == "up" else point.position + 1
                services.talking_point_update(
                    actor=self.membership, point=point, position=max(position, 0)
                )
            else:
                return self.edit(point, meeting)
        except DomainError as error:
            return self.respond(
                meeting, "agenda", status=_status_for(error), status_error=error.message
            )
        return self.respond(meeting, "agenda")

    def edit(self, point: Any, meeting: Meeting) -> HttpResponse:
        form = VersionedTextForm(self.request.POST, prefix=f"point-{point.pk}")
        if form.is_valid():
            try:
                services.talking_point_update(
                    actor=self.membership,
                    point=point,
                    text=form.cleaned_data["text"],
                    expected_version=form.cleaned_data["version"],
                )
            except DomainError as error:
                if isinstance(error, ConflictError):
                    form = self.stale(form, point, error.message)
                else:
                    add_domain_error(form, error)
                return self.respond(
                    meeting, "agenda", status=_status_for(error), point_forms={point.pk: form}
                )
            return self.respond(meeting, "agenda")
        return self.respond(meeting, "agenda", status=400, point_forms={point.pk: form})

    def stale(self, form: VersionedTextForm, point: Any, message: str) -> VersionedTextForm:
        """Keep the typed text; the next save overwrites knowingly (the current version)."""
        point.refresh_from_db()
        data = self.request.POST.copy()
        data[form.add_prefix("version")] = str(point.version)
        fresh = VersionedTextForm(data, prefix=form.prefix)
        fresh.is_valid()
        fresh.add_error(None, message)
        fresh.saved_text = point.text  # type: ignore[attr-defined]
        return fresh
