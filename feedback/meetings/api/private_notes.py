"""Private notes: only their author reads or changes them; API keys are refused."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.ids import object_id

from .. import selectors, services
from ..models import PrivateNote
from ..serializers import (
    PrivateNoteCreateSerializer,
    PrivateNoteSerializer,
    PrivateNoteUpdateSerializer,
)
from .base import OneOnOneViewSet, _known, _schema
from .filters import PrivateNoteFilter


@_schema(
    "private note", PrivateNoteSerializer, PrivateNoteCreateSerializer, PrivateNoteUpdateSerializer
)
class PrivateNoteViewSet(OneOnOneViewSet):
    """Only the author's own notes exist for them here; API keys are refused outright."""

    queryset = PrivateNote.unscoped.none()
    serializer_class = output = PrivateNoteSerializer
    filterset_class = PrivateNoteFilter

    def refuse_keys(self) -> None:
        if self.actor.is_api_client:
            raise PermissionDenied("Private notes are readable by their author only.")

    def get_queryset(self) -> QuerySet[PrivateNote]:
        return selectors.private_note_list(actor=self.actor)

    def list(self, request: Request, org_slug: str) -> Response:
        self.refuse_keys()
        return super().list(request, org_slug)

    def retrieve(self, request: Request, org_slug: str, pk: str) -> Response:
        note = self._note(pk)
        return self.present(note)

    def _note(self, pk: str) -> PrivateNote:
        """The caller's note. For a key, a note of this organization is a 403 and anything
        else the same 404 as for a person."""
        if self.actor.is_api_client:
            if not PrivateNote.objects.filter(pk=object_id(pk)).exists():
                raise Http404("No such note.")
            self.refuse_keys()
        return selectors.private_note_get(actor=self.actor, note_id=pk)

    def create(self, request: Request, org_slug: str) -> Response:
        self.refuse_keys()
        data = self.parse(PrivateNoteCreateSerializer, request)
        meeting = _known(
            lambda: selectors.meeting_get(actor=self.actor, meeting_id=data["meeting"]),
            "meeting",
            "Unknown meeting.",
        )
        note = services.private_note_add(actor=self.actor, meeting=meeting, text=data["text"])
        return self.present(note, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, org_slug: str, pk: str) -> Response:
        note = self._note(pk)
        data = self.parse(PrivateNoteUpdateSerializer, request)
        note = services.private_note_update(
            actor=self.actor, note=note, text=data["text"], expected_version=data.get("version")
        )
        return self.present(note)
