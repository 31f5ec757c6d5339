"""Changes to a meeting's agenda: adding a talking point, editing, ticking, moving or
removing one.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from perfmgmt.errors import ConflictError
from perfmgmt.web.form_views import attempt

from .. import selectors, services
from ..forms import TalkingPointForm, VersionedTextForm
from ..models import Meeting
from .base import MeetingFormView, MeetingPageMixin, _link_choices


class TalkingPointAddView(MeetingFormView):
    form_class = TalkingPointForm
    section = "agenda"
    form_key = "add_point_form"

    def get_form_kwargs(self) -> dict[str, Any]:
        links = _link_choices(self.membership, self.meeting.series)
        return {"goals": links["goals"], "feedback": links["feedback"]}

    def perform(self, form: TalkingPointForm) -> Any:
        return services.talking_point_add(
            actor=self.membership,
            meeting=self.meeting,
            text=form.cleaned_data["text"],
            goal_id=form.cleaned_data.get("goal"),
            feedback_id=form.cleaned_data.get("feedback"),
        )


class TalkingPointChangeView(MeetingPageMixin):
    """Edit the text (with its version), tick it discussed, move it up or down, or remove
    it (its author only)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, talking_point_id: int) -> HttpResponse:
        point = selectors.talking_point_get(actor=self.membership, point_id=talking_point_id)
        meeting = point.meeting
        action = request.POST.get("action", "edit")
        if action not in ("discussed", "remove", "up", "down"):
            return self.edit(point, meeting)
        outcome = attempt(lambda: self.change(point, action), shown=True)
        if not outcome.ok:
            return self.respond(
                meeting, "agenda", status=outcome.status, status_error=outcome.message
            )
        return self.respond(meeting, "agenda")

    def change(self, point: Any, action: str) -> Any:
        if action == "discussed":
            return services.talking_point_update(
                actor=self.membership, point=point, discussed="discussed" in self.request.POST
            )
        if action == "remove":
            return services.talking_point_delete(actor=self.membership, point=point)
        position = point.position - 1 if action == "up" else point.position + 1
        return services.talking_point_update(
            actor=self.membership, point=point, position=max(position, 0)
        )

    def edit(self, point: Any, meeting: Meeting) -> HttpResponse:
        form = VersionedTextForm(self.request.POST, prefix=f"point-{point.pk}")
        if not form.is_valid():
            return self.respond(meeting, "agenda", status=400, point_forms={point.pk: form})
        outcome = attempt(
            lambda: services.talking_point_update(
                actor=self.membership,
                point=point,
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data["version"],
            ),
            form=form,
        )
        if outcome.ok:
            return self.respond(meeting, "agenda")
        if isinstance(outcome.error, ConflictError):
            form = self.stale(form, point, outcome.message)
        return self.respond(meeting, "agenda", status=outcome.status, point_forms={point.pk: form})

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
