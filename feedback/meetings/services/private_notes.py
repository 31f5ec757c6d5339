"""Private notes: a person's own notes on a meeting, for their eyes only."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from perfmgmt.errors import NotFoundError
from perfmgmt.tenancy.policies import Actor, require_person

from .. import policies
from ..models import Meeting, PrivateNote
from ._common import KEYS_CANNOT_WRITE, MAX_NOTES, _check_version, _clean_text, _require


def private_note_add(*, actor: Actor, meeting: Meeting, text: str) -> PrivateNote:
    """A note for the author's eyes only."""
    person = require_person(actor, str(KEYS_CANNOT_WRITE))
    _require(policies.can_change_meeting(person, meeting))
    return PrivateNote.objects.create(
        meeting=meeting, author=person, text=_clean_text(text, field="text", limit=MAX_NOTES)
    )


def private_note_update(
    *, actor: Actor, note: PrivateNote, text: str, expected_version: int | None = None
) -> PrivateNote:
    person = require_person(actor, str(KEYS_CANNOT_WRITE))
    if not policies.can_change_private_note(person, note):
        raise NotFoundError(_("No such note."))
    clean = _clean_text(text, field="text", limit=MAX_NOTES)
    with transaction.atomic():
        locked = PrivateNote.objects.select_for_update().get(pk=note.pk)
        _check_version(locked.version, expected_version, what="note")
        if locked.text != clean:
            locked.text = clean
            locked.version += 1
            locked.save(update_fields=["text", "version", "updated_at"])
    return locked
