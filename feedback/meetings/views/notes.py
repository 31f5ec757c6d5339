"""A meeting's shared notes and the author's private notes; a stale edit (409) keeps the
typed text next to the saved one.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from perfmgmt.errors import ConflictError, DomainError
from perfmgmt.web.forms import add_domain_error

from .. import selectors, services
from ..forms import PrivateNoteForm, SharedNotesForm, VersionedTextForm
from .base import MeetingPageMixin, _status_for


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
