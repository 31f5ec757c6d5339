"""1:1 pages: the list of one's 1:1s, a series, and the meeting as a live document.

Every change on the meeting page is a small POST that works without JavaScript (it
redirects back to the page) and, with htmx, answers the re-rendered section only. A refused
change (400) or a stale edit (409) re-renders the section with the typed text kept in the
form and the message next to it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from perfmgmt.errors import ConflictError, DomainError
from perfmgmt.tenancy.models import Membership, MembershipStatus
from perfmgmt.web.base import OrgView
from perfmgmt.web.forms import add_domain_error

from . import selectors, services
from .forms import (
    ActionItemForm,
    CadenceForm,
    MeetingScheduleForm,
    PrivateNoteForm,
    SeriesStartForm,
    SharedNotesForm,
    TalkingPointForm,
    VersionedTextForm,
)
from .models import Meeting, MeetingStatus, OneOnOneSeries
from .team import team_overview

SECTIONS = {
    "agenda": "feedback/meetings/_agenda.html",
    "actions": "feedback/meetings/_action_items.html",
    "notes": "feedback/meetings/_shared_notes.html",
    "private": "feedback/meetings/_private_notes.html",
    "status": "feedback/meetings/_status.html",
}


def _status_for(error: DomainError) -> int:
    return 409 if isinstance(error, ConflictError) else error.status_code


def _link_choices(actor: Membership, series: OneOnOneSeries) -> dict[str, list[tuple[int, str]]]:
    """Goals and feedback the actor may read that concern either side (two queries)."""
    from feedback.models import Feedback
    from feedback.selectors import feedback_visible_q
    from goals.models import OPEN_STATUSES, Goal
    from goals.policies import visible_goals_filter

    sides = [series.manager_id, series.report_id]
    goals = (
        Goal.objects.filter(visible_goals_filter(actor), owner_person_id__in=sides)
        .filter(status__in=OPEN_STATUSES)
        .order_by("title")
        .values_list("pk", "title")[:100]
    )
    feedback = (
        Feedback.objects.filter(feedback_visible_q(actor))
        .filter(giver_id__in=sides, recipient_id__in=sides)
        .select_related("giver__user")
        .order_by("-created_at")[:50]
    )
    return {
        "goals": list(goals),
        "feedback": [
            (item.pk, f"{item.created_at:%d %b %Y} from {item.giver.display_name}")
            for item in feedback
        ],
    }


class OneOnOneView(OrgView):
    def local(self, moment: datetime) -> datetime:
        """A moment on the organization's clock, without zone (for date-time inputs)."""
        return timezone.localtime(moment, self.organization.zone).replace(tzinfo=None)

    def meeting_url(self, meeting: Meeting, anchor: str = "") -> str:
        url = reverse("one_on_ones:meeting", args=[self.organization.slug, meeting.pk])
        return f"{url}#{anchor}" if anchor else url

    def series_url(self, series: OneOnOneSeries) -> str:
        return reverse("one_on_ones:series", args=[self.organization.slug, series.pk])

    def people(self) -> Any:
        return (
            Membership.objects.exclude(status=MembershipStatus.LEFT)
            .exclude(pk=self.membership.pk)
            .select_related("user")
        )


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


class MeetingPageMixin(OneOnOneView):
    """What the meeting page and every change made on it share (POST-only views have no
    GET handler, so another organization's id is a 404 for every method they answer)."""

    def context(self, meeting: Meeting, **forms: Any) -> dict[str, Any]:
        actor = self.membership
        series = meeting.series
        agenda = selectors.meeting_agenda(actor=actor, meeting=meeting)
        links = _link_choices(actor, series)
        sides = Membership.objects.filter(pk__in=[series.manager_id, series.report_id])
        point_forms = forms.pop("point_forms", {})
        note_forms = forms.pop("note_forms", {})
        return {
            "meeting": meeting,
            "series": series,
            "agenda": agenda,
            "other": series.report if series.manager_id == actor.pk else series.manager,
            "editable": meeting.status != MeetingStatus.CANCELLED,
            "point_rows": [
                (point, point_forms.get(point.pk) or self.point_form(point))
                for point in agenda.points
            ],
            "note_rows": [
                (note, note_forms.get(note.pk) or self.note_form(note))
                for note in agenda.private_notes
            ],
            "add_point_form": forms.pop("add_point_form", None)
            or TalkingPointForm(goals=links["goals"], feedback=links["feedback"]),
            "notes_form": forms.pop("notes_form", None)
            or SharedNotesForm(
                initial={"shared_notes": meeting.shared_notes, "version": meeting.notes_version}
            ),
            "notes_conflict": forms.pop("notes_conflict", None),
            "private_form": forms.pop("private_form", None) or PrivateNoteForm(),
            "action_form": forms.pop("action_form", None)
            or ActionItemForm(people=sides, initial={"owner": actor.pk}),
            "status_error": forms.pop("status_error", ""),
            "move_form": forms.pop("move_form", None)
            or MeetingScheduleForm(
                organization=self.organization,
                initial={"scheduled_for": self.local(meeting.scheduled_for)},
                auto_id="move-%s",
            ),
        }

    @staticmethod
    def point_form(point: Any) -> VersionedTextForm:
        return VersionedTextForm(
            initial={"text": point.text, "version": point.version}, prefix=f"point-{point.pk}"
        )

    @staticmethod
    def note_form(note: Any) -> VersionedTextForm:
        return VersionedTextForm(
            initial={"text": note.text, "version": note.version}, prefix=f"note-{note.pk}"
        )

    def show(self, meeting: Meeting, status: int = 200, **forms: Any) -> HttpResponse:
        context = self.context(meeting, **forms)
        return render(self.request, "feedback/meetings/meeting.html", context, status=status)

    def respond(
        self, meeting: Meeting, section: str, status: int = 200, **forms: Any
    ) -> HttpResponse:
        """htmx: the section alone; otherwise the page (on error) or a redirect to it."""
        if getattr(self.request, "htmx", False):
            meeting = selectors.meeting_get(actor=self.membership, meeting_id=meeting.pk)
            context = self.context(meeting, **forms)
            return render(self.request, SECTIONS[section], context, status=status)
        if status >= 400:
            return self.show(meeting, status=status, **forms)
        return redirect(self.meeting_url(meeting, anchor=section))


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


class SharedNotesView(MeetingPageMixin):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, meeting_id: int) -> HttpResponse:
        meeting = selectors.meeting_get(actor=self.membership, meeting_id=meeting_id)
        form = SharedNotesForm(request.POST)
        if form.is_valid():
            try:
                services.meeting_update_notes(
                    actor=self.membership,
                    meeting=meeting,
                    shared_notes=form.cleaned_data["shared_notes"],
                    expected_version=form.cleaned_data["version"],
                )
            except DomainError as error:
                conflict = None
                if not isinstance(error, ConflictError):
                    add_domain_error(form, error)
                else:
                    meeting.refresh_from_db()
                    conflict = meeting.shared_notes
                    data = self.request.POST.copy()
                    data["version"] = str(meeting.notes_version)
                    form = SharedNotesForm(data)
                    form.is_valid()
                    form.add_error(None, error.message)
                return self.respond(
                    meeting,
                    "notes",
                    status=_status_for(error),
                    notes_form=form,
                    notes_conflict=conflict,
                )
            return self.respond(meeting, "notes")
        return self.respond(meeting, "notes", status=400, notes_form=form)


class PrivateNoteAddView(MeetingPageMixin):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, meeting_id: int) -> HttpResponse:
        meeting = selectors.meeting_get(actor=self.membership, meeting_id=meeting_id)
        form = PrivateNoteForm(request.POST)
        if form.is_valid():
            try:
                services.private_note_add(
                    actor=self.membership, meeting=meeting, text=form.cleaned_data["text"]
                )
            except DomainError as error:
                add_domain_error(form, error)
                return self.respond(
                    meeting, "private", status=_status_for(error), private_form=form
                )
            return self.respond(meeting, "private")
        return self.respond(meeting, "private", status=400, private_form=form)


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


class TeamView(OrgView):
    """For a manager: each direct report's check-in, 1:1, feedback and goal signals."""

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = team_overview(manager=self.membership)
        return render(request, "feedback/meetings/team.html", {"rows": rows})


class PrivateNoteChangeView(MeetingPageMixin):
    """The author edits one of their private notes (with its version: 409 when stale)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, private_note_id: int) -> HttpResponse:
        note = selectors.private_note_get(actor=self.membership, note_id=private_note_id)
        meeting = selectors.meeting_get(actor=self.membership, meeting_id=note.meeting_id)
        form = VersionedTextForm(request.POST, prefix=f"note-{note.pk}")
        if form.is_valid():
            try:
                services.private_note_update(
                    actor=self.membership,
                    note=note,
                    text=form.cleaned_data["text"],
                    expected_version=form.cleaned_data["version"],
                )
            except DomainError as error:
                if isinstance(error, ConflictError):
                    note.refresh_from_db()
                    data = request.POST.copy()
                    data[form.add_prefix("version")] = str(note.version)
                    form = VersionedTextForm(data, prefix=form.prefix)
                    form.is_valid()
                    form.add_error(None, error.message)
                    form.saved_text = note.text  # type: ignore[attr-defined]
                else:
                    add_domain_error(form, error)
                return self.respond(
                    meeting, "private", status=_status_for(error), note_forms={note.pk: form}
                )
            return self.respond(meeting, "private")
        return self.respond(meeting, "private", status=400, note_forms={note.pk: form})
