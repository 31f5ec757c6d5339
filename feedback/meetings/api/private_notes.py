"""Private notes: only their author reads or changes them; API keys are refused."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet

from .. import selectors, services
from ..models import PrivateNote
from ..serializers import (
    PrivateNoteCreateSerializer,
    PrivateNoteSerializer,
    PrivateNoteUpdateSerializer,
)
from ._schema import ID_PATTERN, SCOPES, _known, _schema
from .filters import PrivateNoteFilter


@_schema(
    "private note", PrivateNoteSerializer, PrivateNoteCreateSerializer, PrivateNoteUpdateSerializer
)
class PrivateNoteViewSet(OrgViewSet):
    """Only the author's own notes exist for them here; API keys are refused outright."""

    model = PrivateNote
    selector = staticmethod(selectors.private_note_list)
    serializer_class = PrivateNoteSerializer
    filterset_class = PrivateNoteFilter
    lookup_value_regex = ID_PATTERN
    required_scopes = SCOPES

    def _refuse_keys(self) -> None:
        if self.actor.is_api_client:
            raise PermissionDenied(gettext("Private notes are readable by their author only."))

    def list(self, request: Request, org_slug: str) -> Response:
        self._refuse_keys()
        return self.page(self.listed())

    def retrieve(self, request: Request, org_slug: str, pk: str) -> Response:
        return self.present(self._note())

    def _note(self) -> PrivateNote:
        """The caller's note. For a key, a note of this organization is a 403 and anything
        else the same 404 as for a person."""
        if self.actor.is_api_client:
            if not PrivateNote.objects.filter(pk=self.object_id()).exists():
                raise Http404("No such note.")
            self._refuse_keys()
        return selectors.private_note_get(actor=self.actor, note_id=self.object_id())

    def create(self, request: Request, org_slug: str) -> Response:
        self._refuse_keys()
        data = self.parse(PrivateNoteCreateSerializer)
        meeting = _known(
            lambda: selectors.meeting_get(actor=self.actor, meeting_id=data["meeting"]),
            "meeting",
            gettext("Unknown meeting."),
        )
        note = services.private_note_add(actor=self.actor, meeting=meeting, text=data["text"])
        return self.present(note, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, org_slug: str, pk: str) -> Response:
        note = self._note()
        data = self.parse(PrivateNoteUpdateSerializer)
        note = services.private_note_update(
            actor=self.actor, note=note, text=data["text"], expected_version=data.get("version")
        )
        return self.present(note)
