"""1:1 series and their meetings."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from .. import selectors, services
from ..models import Meeting, MeetingStatus, OneOnOneSeries
from ..serializers import (
    MeetingCreateSerializer,
    MeetingSerializer,
    MeetingUpdateSerializer,
    SeriesCreateSerializer,
    SeriesSerializer,
    SeriesUpdateSerializer,
)
from .base import OneOnOneViewSet, _known, _schema
from .filters import MeetingFilter, SeriesFilter


@_schema("1:1 series", SeriesSerializer, SeriesCreateSerializer, SeriesUpdateSerializer)
class SeriesViewSet(OneOnOneViewSet):
    queryset = OneOnOneSeries.unscoped.none()
    serializer_class = output = SeriesSerializer
    filterset_class = SeriesFilter

    def get_queryset(self) -> QuerySet[OneOnOneSeries]:
        return selectors.series_list(actor=self.actor)

    def retrieve(self, request: Request, org_slug: str, pk: str) -> Response:
        return self.present(selectors.series_get(actor=self.actor, series_id=pk))

    def create(self, request: Request, org_slug: str) -> Response:
        self.refuse_keys()
        data = self.parse(SeriesCreateSerializer, request)
        series = services.series_start(
            actor=self.actor,
            other=data["with_person"],
            cadence=data["cadence"],
            first_meeting_at=data.get("first_meeting_at"),
        )
        return self.present(series, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, org_slug: str, pk: str) -> Response:
        series = selectors.series_get(actor=self.actor, series_id=pk)
        self.refuse_keys()
        data = self.parse(SeriesUpdateSerializer, request)
        return self.present(services.series_update(actor=self.actor, series=series, **data))


@_schema("meeting", MeetingSerializer, MeetingCreateSerializer, MeetingUpdateSerializer)
class MeetingViewSet(OneOnOneViewSet):
    queryset = Meeting.unscoped.none()
    serializer_class = output = MeetingSerializer
    filterset_class = MeetingFilter

    def get_queryset(self) -> QuerySet[Meeting]:
        return selectors.meeting_list(actor=self.actor)

    def retrieve(self, request: Request, org_slug: str, pk: str) -> Response:
        return self.present(selectors.meeting_get(actor=self.actor, meeting_id=pk))

    def create(self, request: Request, org_slug: str) -> Response:
        self.refuse_keys()
        data = self.parse(MeetingCreateSerializer, request)
        series = _known(
            lambda: selectors.series_get(actor=self.actor, series_id=data["series"]),
            "series",
            "Unknown 1:1 series.",
        )
        meeting = services.meeting_schedule(
            actor=self.actor, series=series, scheduled_for=data["scheduled_for"]
        )
        return self.present(meeting, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, org_slug: str, pk: str) -> Response:
        meeting = selectors.meeting_get(actor=self.actor, meeting_id=pk)
        self.refuse_keys()
        data = self.parse(MeetingUpdateSerializer, request)
        if "shared_notes" in data:
            meeting = services.meeting_update_notes(
                actor=self.actor,
                meeting=meeting,
                shared_notes=data["shared_notes"],
                expected_version=data.get("notes_version"),
            )
        if "scheduled_for" in data:
            meeting = services.meeting_reschedule(
                actor=self.actor, meeting=meeting, scheduled_for=data["scheduled_for"]
            )
        if data.get("status") == MeetingStatus.DONE:
            meeting = services.meeting_complete(actor=self.actor, meeting=meeting)
        elif data.get("status") == MeetingStatus.CANCELLED:
            meeting = services.meeting_cancel(actor=self.actor, meeting=meeting)
        return self.present(meeting)
