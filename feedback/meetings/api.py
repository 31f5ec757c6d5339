"""1:1s over the REST API: /api/v1/orgs/<org_slug>/one-on-ones/...

Thin: parse input, call one selector or service, serialize. People see the 1:1s they are a
side of; API keys with `one_on_ones:read` read every 1:1 but write nothing, and never see a
private note. Private notes answer only their author. An object the caller may not see is
a 404, exactly like another organization's.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from perfmgmt.api.base import OrgViewSet
from perfmgmt.api.models import Scope
from perfmgmt.api.permissions import HasRequiredScope
from perfmgmt.api.schema import ORG_SLUG_PARAMETER, RETRY_AFTER_HEADER, error_responses
from perfmgmt.errors import DomainError

from . import selectors, services
from .models import (
    ActionItem,
    Cadence,
    Meeting,
    MeetingStatus,
    OneOnOneSeries,
    PrivateNote,
    TalkingPoint,
)
from .serializers import (
    ActionItemCreateSerializer,
    ActionItemSerializer,
    ActionItemUpdateSerializer,
    MeetingCreateSerializer,
    MeetingSerializer,
    MeetingUpdateSerializer,
    PrivateNoteCreateSerializer,
    PrivateNoteSerializer,
    PrivateNoteUpdateSerializer,
    SeriesCreateSerializer,
    SeriesSerializer,
    SeriesUpdateSerializer,
    TalkingPointCreateSerializer,
    TalkingPointSerializer,
    TalkingPointUpdateSerializer,
)


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class SeriesFilter(django_filters.FilterSet):
    person = IdFilter(method="filter_person", help_text="Series with this person on a side.")
    cadence = django_filters.ChoiceFilter(choices=Cadence.choices)

    class Meta:
        model = OneOnOneSeries
        fields = ["person", "cadence"]

    def filter_person(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return queryset.filter(manager_id=value) | queryset.filter(report_id=value)


class MeetingFilter(django_filters.FilterSet):
    series = IdFilter(field_name="series_id")
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices)
    after = django_filters.IsoDateTimeFilter(field_name="scheduled_for", lookup_expr="gte")
    before = django_filters.IsoDateTimeFilter(field_name="scheduled_for", lookup_expr="lt")

    class Meta:
        model = Meeting
        fields = ["series", "status", "after", "before"]


class TalkingPointFilter(django_filters.FilterSet):
    meeting = IdFilter(field_name="meeting_id")
    discussed = django_filters.BooleanFilter()

    class Meta:
        model = TalkingPoint
        fields = ["meeting", "discussed"]


class ActionItemFilter(django_filters.FilterSet):
    series = IdFilter(field_name="series_id")
    owner = IdFilter(field_name="owner_id")
    done = django_filters.BooleanFilter(field_name="done_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = ActionItem
        fields = ["series", "owner", "done"]


class PrivateNoteFilter(django_filters.FilterSet):
    meeting = IdFilter(field_name="meeting_id")

    class Meta:
        model = PrivateNote
        fields = ["meeting"]


def _common(summary: str, **kwargs: Any) -> dict[str, Any]:
    return {
        "summary": summary,
        "tags": ["one-on-ones"],
        "parameters": [ORG_SLUG_PARAMETER, RETRY_AFTER_HEADER],
        **kwargs,
    }


def _schema(noun: str, serializer: type[Serializer[Any]], create: Any, update: Any) -> Any:
    return extend_schema_view(
        list=extend_schema(
            **_common(f"List {noun}s"),
            responses={200: serializer(many=True), **error_responses(400, 401, 403, 404, 429)},
        ),
        retrieve=extend_schema(
            **_common(f"Get a {noun}"),
            responses={200: serializer, **error_responses(401, 403, 404, 429)},
        ),
        create=extend_schema(
            **_common(f"Create a {noun}"),
            request=create,
            responses={201: serializer, **error_responses(400, 401, 403, 404, 409, 429)},
        ),
        partial_update=extend_schema(
            **_common(f"Change a {noun}"),
            request=update,
            responses={200: serializer, **error_responses(400, 401, 403, 404, 409, 429)},
        ),
    )


def _known(lookup: Any, field: str, message: str) -> Any:
    """An id in a request body the caller cannot see is a field error, not a 404."""
    try:
        return lookup()
    except Http404:
        raise DomainError("Some fields are not valid.", fields={field: [message]}) from None


class OneOnOneViewSet(OrgViewSet):
    """Shared plumbing; the selectors decide what the caller sees."""

    permission_classes = [IsAuthenticated, HasRequiredScope]
    parser_classes = [JSONParser]
    lookup_url_kwarg = "pk"
    lookup_value_regex = "[0-9]+"
    # Keys may call every action so that an unknown id is a 404 before anything else;
    # the services refuse every write by a key (403).
    required_scopes = dict.fromkeys(
        ["list", "retrieve", "create", "partial_update"], Scope.ONE_ON_ONES_READ
    )
    output: type[Serializer[Any]]

    def refuse_keys(self) -> None:
        """Called after the object lookup, so an unknown id stays a 404 for keys too."""
        if self.actor.is_api_client:
            raise PermissionDenied("API keys can read 1:1s but not change them.")

    def present(self, obj: Any, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.output(obj).data, status=code)

    def list(self, request: Request, org_slug: str) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.output(page, many=True).data)

    def parse(self, serializer_class: type[Serializer[Any]], request: Request) -> dict[str, Any]:
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


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


@_schema(
    "talking point",
    TalkingPointSerializer,
    TalkingPointCreateSerializer,
    TalkingPointUpdateSerializer,
)
class TalkingPointViewSet(OneOnOneViewSet):
    queryset = TalkingPoint.unscoped.none()
    serializer_class = output = TalkingPointSerializer
    filterset_class = TalkingPointFilter

    def get_queryset(self) -> QuerySet[TalkingPoint]:
        return selectors.talking_point_list(actor=self.actor)

    def retrieve(self, request: Request, org_slug: str, pk: str) -> Response:
        return self.present(selectors.talking_point_get(actor=self.actor, point_id=pk))

    def create(self, request: Request, org_slug: str) -> Response:
        self.refuse_keys()
        data = self.parse(TalkingPointCreateSerializer, request)
        meeting = _known(
            lambda: selectors.meeting_get(actor=self.actor, meeting_id=data["meeting"]),
            "meeting",
            "Unknown meeting.",
        )
        point = services.talking_point_add(
            actor=self.actor,
            meeting=meeting,
            text=data["text"],
            goal_id=data["goal"],
            feedback_id=data["feedback"],
        )
        return self.present(point, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, org_slug: str, pk: str) -> Response:
        point = selectors.talking_point_get(actor=self.actor, point_id=pk)
        self.refuse_keys()
        data = self.parse(TalkingPointUpdateSerializer, request)
        changes: dict[str, Any] = {
            key: data[key] for key in ("text", "discussed", "position") if key in data
        }
        if "goal" in data:
            changes["goal_id"] = data["goal"]
        if "feedback" in data:
            changes["feedback_id"] = data["feedback"]
        point = services.talking_point_update(
            actor=self.actor, point=point, expected_version=data.get("version"), **changes
        )
        return self.present(point)


@_schema(
    "action item", ActionItemSerializer, ActionItemCreateSerializer, ActionItemUpdateSerializer
)
class ActionItemViewSet(OneOnOneViewSet):
    queryset = ActionItem.unscoped.none()
    serializer_class = output = ActionItemSerializer
    filterset_class = ActionItemFilter

    def get_queryset(self) -> QuerySet[ActionItem]:
        return selectors.action_item_list(actor=self.actor)

    def retrieve(self, request: Request, org_slug: str, pk: str) -> Response:
        return self.present(selectors.action_item_get(actor=self.actor, item_id=pk))

    def create(self, request: Request, org_slug: str) -> Response:
        self.refuse_keys()
        data = self.parse(ActionItemCreateSerializer, request)
        meeting = _known(
            lambda: selectors.meeting_get(actor=self.actor, meeting_id=data["meeting"]),
            "meeting",
            "Unknown meeting.",
        )
        item = services.action_item_create(
            actor=self.actor,
            meeting=meeting,
            owner=data["owner"],
            text=data["text"],
            due_date=data["due_date"],
        )
        return self.present(item, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, org_slug: str, pk: str) -> Response:
        item = selectors.action_item_get(actor=self.actor, item_id=pk)
        self.refuse_keys()
        data = self.parse(ActionItemUpdateSerializer, request)
        changes: dict[str, Any] = {
            key: data[key] for key in ("text", "owner", "due_date", "done") if key in data
        }
        item = services.action_item_update(
            actor=self.actor, item=item, expected_version=data.get("version"), **changes
        )
        return self.present(item)


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
            if not PrivateNote.objects.filter(pk=selectors.parse_id(pk)).exists():
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
