"""1:1 series and their meetings."""

from __future__ import annotations

from django.utils.translation import gettext
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet

from .. import selectors, services
from ..models import Meeting, MeetingStatus, OneOnOneSeries
from ..serializers import (
    MEETING_JSON,
    MeetingCreateSerializer,
    MeetingSerializer,
    MeetingUpdateSerializer,
    SeriesCreateSerializer,
    SeriesSerializer,
    SeriesUpdateSerializer,
)
from ._schema import ID_PATTERN, SCOPES, _known, _schema, refuse_keys
from .filters import MeetingFilter, SeriesFilter


@_schema("1:1 series", SeriesSerializer, SeriesCreateSerializer, SeriesUpdateSerializer)
class SeriesViewSet(OrgViewSet):
    model = OneOnOneSeries
    selector = staticmethod(selectors.series_list)
    serializer_class = SeriesSerializer
    filterset_class = SeriesFilter
    lookup_value_regex = ID_PATTERN
    required_scopes = SCOPES

    def list(self, request: Request, org_slug: str) -> Response:
        return self.page(self.listed())

    def retrieve(self, request: Request, org_slug: str, pk: str) -> Response:
        return self.present(selectors.series_get(actor=self.actor, series_id=self.object_id()))

    def create(self, request: Request, org_slug: str) -> Response:
        refuse_keys(self.actor)
        data = self.parse(SeriesCreateSerializer)
        series = services.series_start(
            actor=self.actor,
            other=data["with_person"],
            cadence=data["cadence"],
            first_meeting_at=data.get("first_meeting_at"),
            confirm_past=data["confirm_past"],
        )
        return self.present(series, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, org_slug: str, pk: str) -> Response:
        series = selectors.series_get(actor=self.actor, series_id=self.object_id())
        refuse_keys(self.actor)
        data = self.parse(SeriesUpdateSerializer)
        return self.present(services.series_update(actor=self.actor, series=series, **data))


@_schema("meeting", MeetingSerializer, MeetingCreateSerializer, MeetingUpdateSerializer)
class MeetingViewSet(OrgViewSet):
    model = Meeting
    selector = staticmethod(selectors.meeting_list)
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    lookup_value_regex = ID_PATTERN
    required_scopes = SCOPES

    def list(self, request: Request, org_slug: str) -> Response:
        rows = selectors.meeting_rows(actor=self.actor, **self.filter_arguments())
        return self.page(rows, rows=MEETING_JSON)

    def retrieve(self, request: Request, org_slug: str, pk: str) -> Response:
        return self.present(selectors.meeting_get(actor=self.actor, meeting_id=self.object_id()))

    def create(self, request: Request, org_slug: str) -> Response:
        refuse_keys(self.actor)
        data = self.parse(MeetingCreateSerializer)
        series = _known(
            lambda: selectors.series_get(actor=self.actor, series_id=data["series"]),
            "series",
            gettext("Unknown 1:1 series."),
        )
        meeting = services.meeting_schedule(
            actor=self.actor,
            series=series,
            scheduled_for=data["scheduled_for"],
            confirm_past=data["confirm_past"],
        )
        return self.present(meeting, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, org_slug: str, pk: str) -> Response:
        meeting = selectors.meeting_get(actor=self.actor, meeting_id=self.object_id())
        refuse_keys(self.actor)
        data = self.parse(MeetingUpdateSerializer)
        if "shared_notes" in data:
            meeting = services.meeting_update_notes(
                actor=self.actor,
                meeting=meeting,
                shared_notes=data["shared_notes"],
                expected_version=data.get("notes_version"),
            )
        if "scheduled_for" in data:
            meeting = services.meeting_reschedule(
                actor=self.actor,
                meeting=meeting,
                scheduled_for=data["scheduled_for"],
                confirm_past=data["confirm_past"],
            )
        if data.get("status") == MeetingStatus.DONE:
            meeting = services.meeting_complete(actor=self.actor, meeting=meeting)
        elif data.get("status") == MeetingStatus.CANCELLED:
            meeting = services.meeting_cancel(actor=self.actor, meeting=meeting)
        return self.present(meeting)
