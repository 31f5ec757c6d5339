"""A meeting's shared notes and the author's private notes; a stale edit (409) keeps the
typed text next to the saved one.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import HttpResponse

from perfmgmt.errors import ConflictError

from .. import selectors, services
from ..forms import PrivateNoteForm, SharedNotesForm, VersionedTextForm
from ..models import Meeting
from .base import MeetingFormView


class SharedNotesView(MeetingFormView):
    form_class = SharedNotesForm
    section = "notes"
    form_key = "notes_form"
    notes_conflict: str | None = None

    def perform(self, form: SharedNotesForm) -> Any:
        return services.meeting_update_notes(
            actor=self.membership,
            meeting=self.meeting,
            shared_notes=form.cleaned_data["shared_notes"],
            expected_version=form.cleaned_data["version"],
        )

    def stale_form(self, form: SharedNotesForm, error: ConflictError) -> SharedNotesForm:
        """Keep the typed text next to the saved one; the next save overwrites knowingly."""
        meeting = self.meeting
        meeting.refresh_from_db()
        self.notes_conflict = meeting.shared_notes
        data = self.request.POST.copy()
        data["version"] = str(meeting.notes_version)
        fresh = SharedNotesForm(data)
        fresh.is_valid()
        fresh.add_error(None, error.message)
        return fresh

    def render_form(self, form: SharedNotesForm, status: int = 200) -> HttpResponse:
        return self.respond(
            self.meeting,
            "notes",
            status=status,
            notes_form=form,
            notes_conflict=self.notes_conflict,
        )


class PrivateNoteAddView(MeetingFormView):
    form_class = PrivateNoteForm
    section = "private"
    form_key = "private_form"

    def perform(self, form: PrivateNoteForm) -> Any:
        return services.private_note_add(
            actor=self.membership, meeting=self.meeting, text=form.cleaned_data["text"]
        )


class PrivateNoteChangeView(MeetingFormView):
    """The author edits one of their private notes (with its version: 409 when stale)."""

    form_class = VersionedTextForm
    section = "private"

    @cached_property
    def note(self) -> Any:
        note_id = self.kwargs["private_note_id"]
        return selectors.private_note_get(actor=self.membership, note_id=note_id)

    @cached_property
    def meeting(self) -> Meeting:
        return selectors.meeting_get(actor=self.membership, meeting_id=self.note.meeting_id)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"prefix": f"note-{self.note.pk}"}

    def perform(self, form: VersionedTextForm) -> Any:
        return services.private_note_update(
            actor=self.membership,
            note=self.note,
            text=form.cleaned_data["text"],
            expected_version=form.cleaned_data["version"],
        )

    def stale_form(self, form: VersionedTextForm, error: ConflictError) -> VersionedTextForm:
        note = self.note
        note.refresh_from_db()
        data = self.request.POST.copy()
        data[form.add_prefix("version")] = str(note.version)
        fresh = VersionedTextForm(data, prefix=form.prefix)
        fresh.is_valid()
        fresh.add_error(None, error.message)
        fresh.saved_text = note.text  # type: ignore[attr-defined]
        return fresh

    def render_form(self, form: VersionedTextForm, status: int = 200) -> HttpResponse:
        return self.respond(self.meeting, "private", status=status, note_forms={self.note.pk: form})
