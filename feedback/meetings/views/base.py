"""What every 1:1 page shares: the organization's clock and links, the people to pick
from, and the meeting page's context and its answer to a change (a section for htmx,
otherwise the page or a redirect back to it).
"""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from perfmgmt.localization import format_day
from perfmgmt.tenancy.models import Membership
from perfmgmt.web.base import OrgView
from perfmgmt.web.form_views import OrgFormView

from .. import selectors
from ..forms import (
    ActionItemForm,
    MeetingScheduleForm,
    PrivateNoteForm,
    SharedNotesForm,
    TalkingPointForm,
    VersionedTextForm,
)
from ..models import Meeting, MeetingStatus, OneOnOneSeries

SECTIONS = {
    "agenda": "feedback/meetings/_agenda.html",
    "actions": "feedback/meetings/_action_items.html",
    "notes": "feedback/meetings/_shared_notes.html",
    "private": "feedback/meetings/_private_notes.html",
    "status": "feedback/meetings/_status.html",
}


def _link_choices(actor: Membership, series: OneOnOneSeries) -> dict[str, list[tuple[int, str]]]:
    """The talking point form's goal and feedback choices, from the selector that decides
    what the actor may link; feedback is named by its date on the reader's clock."""
    choices = selectors.talking_point_link_choices(actor=actor, series=series)
    return {
        "goals": choices.goals,
        "feedback": [
            (
                item.pk,
                _("%(day)s from %(name)s")
                % {"day": format_day(item.created_at), "name": item.giver.display_name},
            )
            for item in choices.feedback
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


class MeetingFormView(OrgFormView, MeetingPageMixin):
    """A form on the meeting page: its section again (htmx) or the page, with the form's
    errors on refusal; on success the section, or a redirect back to the page."""

    http_method_names = ["post"]
    section = ""  # a key of SECTIONS
    form_key = ""  # the meeting page's name for this form

    @cached_property
    def meeting(self) -> Meeting:
        return selectors.meeting_get(actor=self.membership, meeting_id=self.kwargs["meeting_id"])

    def success(self, result: Any) -> HttpResponse:
        return self.respond(self.meeting, self.section)

    def render_form(self, form: Any, status: int = 200) -> HttpResponse:
        return self.respond(self.meeting, self.section, status=status, **{self.form_key: form})
