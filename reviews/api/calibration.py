"""Calibration over the API: sessions (open, target, lock, figures, export), placements
on the 9-box, and adjustments with reasons.

Keys read with `reviews:read`, open, target and lock with `reviews:write`, and adjust or
move people with `calibration:write`. People read and act as on the pages: HR everything,
a manager taking part only their own people.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet
from perfmgmt.api.filters import IdFilter, SelectorFilterBackend, parsed_filters
from perfmgmt.api.schema import COMMON_PARAMETERS, GET_ERRORS, LIST_ERRORS, WRITE_ERRORS
from perfmgmt.errors import DomainError
from perfmgmt.exports import csv_response, xlsx_response

from .. import calibration_exports as exports
from .. import policies
from ..models import CalibrationChange, CalibrationPlacement, CalibrationSession
from ..selectors import calibration as selectors
from ..selectors import calibration_figures as figures
from ..serializers.calibration import (
    AdjustmentSerializer,
    AdjustmentWriteSerializer,
    CalibrationSessionSerializer,
    CalibrationSessionWriteSerializer,
    PlacementSerializer,
    TargetSerializer,
    TransferSerializer,
)
from ..services import calibration as services

READ, WRITE = policies.READ_SCOPE, policies.WRITE_SCOPE
ADJUST = policies.CALIBRATION_SCOPE
_COMMON: dict[str, Any] = {"parameters": COMMON_PARAMETERS, "tags": ["calibration"]}
FORMAT = OpenApiParameter("file_format", str, enum=["csv", "xlsx"], required=False)


def _bars(found: figures.Distribution) -> list[dict[str, Any]]:
    return [
        {"rating": bar.label, "count": bar.count, "percent": bar.percent, "target": bar.target}
        for bar in found.bars
    ]


def _rows(page: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": row.key,
            "name": row.label,
            "count": row.count,
            "average": row.average,
            "difference": row.difference,
            "signal": row.signal,
            "gap": row.gap,
            "ratings": _bars(row.distribution),
        }
        for row in page.object_list
    ]


class CalibrationSessionFilter(django_filters.FilterSet):
    cycle = IdFilter(help_text="Id of the review cycle.")

    class Meta:
        model = CalibrationSession
        fields = ["cycle"]


class CalibrationSessionViewSet(OrgViewSet):
    model = CalibrationSession
    serializer_class = CalibrationSessionSerializer
    filterset_class = CalibrationSessionFilter
    filter_backends = [SelectorFilterBackend]
    lookup_url_kwarg = "session_id"
    required_scopes = {
        "list": READ,
        "retrieve": READ,
        "create": WRITE,
        "target": WRITE,
        "lock": WRITE,
        "figures": READ,
        "export": READ,
    }

    def get_queryset(self) -> QuerySet[CalibrationSession]:
        return selectors.session_list(actor=self.actor).prefetch_related("manager_links")

    def _session(self) -> CalibrationSession:
        return selectors.session_get(actor=self.actor, session_id=self.object_id())

    def _fresh(self, session: CalibrationSession) -> Response:
        return self.present(self.get_queryset().get(pk=session.pk))

    @extend_schema(
        summary="List calibration sessions",
        responses={200: CalibrationSessionSerializer(many=True), **LIST_ERRORS},
        **_COMMON,
    )
    def list(self, request: Request, org_slug: str) -> Response:
        filters = parsed_filters(CalibrationSessionFilter, request)
        sessions = self.get_queryset()
        if filters.get("cycle") is not None:
            sessions = sessions.filter(cycle_id=filters["cycle"])
        return self.page(sessions)

    @extend_schema(
        summary="Get a calibration session",
        responses={200: CalibrationSessionSerializer, **GET_ERRORS},
        **_COMMON,
    )
    def retrieve(self, request: Request, org_slug: str, session_id: str) -> Response:
        return self._fresh(self._session())

    @extend_schema(
        summary="Open a calibration session",
        description="HR or keys with `reviews:write`, while the cycle's calibration phase is "
        "open. Takes the group's people not released nor in another session.",
        request=CalibrationSessionWriteSerializer,
        responses={201: CalibrationSessionSerializer, **WRITE_ERRORS},
        **_COMMON,
    )
    def create(self, request: Request, org_slug: str) -> Response:
        data = self.parse(CalibrationSessionWriteSerializer)
        session = services.session_open(
            actor=self.actor,
            cycle=data["cycle"],
            data=services.SessionInput(
                name=data["name"],
                group=data["group"],
                team=data["team"],
                leader=data["leader"],
                managers=data["managers"],
                potential_question_id=data["potential_question"],
            ),
        )
        response = self._fresh(session)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(
        summary="Set a session's target distribution",
        request=TargetSerializer,
        responses={200: CalibrationSessionSerializer, **WRITE_ERRORS},
        **_COMMON,
    )
    @action(detail=True, methods=["post"])
    def target(self, request: Request, org_slug: str, session_id: str) -> Response:
        session = self._session()
        data = self.parse(TargetSerializer)
        session = services.session_target_set(
            actor=self.actor, session=session, shares=data["target"]
        )
        return self._fresh(session)

    @extend_schema(
        summary="Lock a session",
        description="Its ratings become final and go into the manager reviews. Idempotent.",
        request=None,
        responses={200: CalibrationSessionSerializer, **WRITE_ERRORS},
        **_COMMON,
    )
    @action(detail=True, methods=["post"])
    def lock(self, request: Request, org_slug: str, session_id: str) -> Response:
        session = services.session_lock(actor=self.actor, session=self._session())
        return self._fresh(session)

    @extend_schema(
        summary="A session's distributions, leniency and gaps",
        description="Over the people the caller may read; teams and managers are paged "
        "(`teams_page`, `managers_page`).",
        responses={200: OpenApiTypes.OBJECT, **GET_ERRORS},
        **_COMMON,
    )
    @action(detail=True, methods=["get"])
    def figures(self, request: Request, org_slug: str, session_id: str) -> Response:
        session = self._session()
        placements = selectors.visible_placements(actor=self.actor, session=session)
        levels = figures.session_levels(placements)
        group = figures.group_average(placements)
        grouped: dict[str, Any] = {"levels": levels, "group": group, "no_label": ""}
        gaps = figures.gap_summary(placements, group)
        grid, unplaced = figures.nine_box(placements)
        data = {
            "overall": _bars(figures.overall_distribution(placements, levels, session)),
            "group_average": figures.points(group["average"]),
            "gaps": {
                "higher": gaps.higher,
                "same": gaps.same,
                "lower": gaps.lower,
                "average": gaps.average,
            },
            "by_manager": _rows(
                figures.grouped(
                    placements,
                    key="participant__manager_id",
                    label="participant__manager__full_name",
                    page_number=request.query_params.get("managers_page"),
                    **grouped,
                )
            ),
            "by_team": _rows(
                figures.grouped(
                    placements,
                    key="participant__reviewee__team_id",
                    label="participant__reviewee__team__name",
                    page_number=request.query_params.get("teams_page"),
                    **grouped,
                )
            ),
            "nine_box": [
                {"performance": box.performance, "potential": box.potential, "count": box.count}
                for row in grid
                for box in row
            ],
            "not_placed": unplaced,
        }
        return Response(data)

    @extend_schema(
        summary="Export a session (CSV or XLSX)",
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV"),
            **GET_ERRORS,
        },
        **{**_COMMON, "parameters": [*COMMON_PARAMETERS, FORMAT]},
    )
    @action(detail=True, methods=["get"])
    def export(self, request: Request, org_slug: str, session_id: str) -> Any:
        session = self._session()
        file_format = request.query_params.get("file_format", "csv")
        if file_format not in ("csv", "xlsx"):
            raise DomainError("Choose csv or xlsx.", fields={"file_format": ["csv or xlsx"]})
        rows = exports.session_export(actor=self.actor, session=session, file_format=file_format)
        if file_format == "xlsx":
            return xlsx_response(
                rows,
                organization=self.organization,
                title=session.name,
                filename=f"calibration-{session.pk}.xlsx",
            )
        return csv_response(
            rows, organization=self.organization, filename=f"calibration-{session.pk}.csv"
        )


class PlacementFilter(django_filters.FilterSet):
    session = IdFilter(help_text="Id of the calibration session.")
    performance = django_filters.ChoiceFilter(
        choices=[(1, "low"), (2, "medium"), (3, "high")], help_text="1 low, 2 medium, 3 high."
    )
    potential = django_filters.ChoiceFilter(
        choices=[(1, "low"), (2, "medium"), (3, "high")], help_text="1 low, 2 medium, 3 high."
    )

    class Meta:
        model = CalibrationPlacement
        fields = ["session", "performance", "potential"]


class CalibrationPlacementViewSet(OrgViewSet):
    model = CalibrationPlacement
    serializer_class = PlacementSerializer
    filterset_class = PlacementFilter
    filter_backends = [SelectorFilterBackend]
    lookup_url_kwarg = "placement_id"
    required_scopes = {"list": READ, "retrieve": READ, "transfer": WRITE}

    def get_queryset(self) -> QuerySet[CalibrationPlacement]:
        return selectors.placement_list(actor=self.actor)

    @extend_schema(
        summary="List 9-box placements",
        responses={200: PlacementSerializer(many=True), **LIST_ERRORS},
        **_COMMON,
    )
    def list(self, request: Request, org_slug: str) -> Response:
        filters = parsed_filters(PlacementFilter, request)
        wanted = {
            {"session": "session_id"}.get(name, name): value
            for name, value in filters.items()
            if value not in (None, "")
        }
        return self.page(self.get_queryset().filter(**wanted))

    @extend_schema(
        summary="Get a 9-box placement",
        responses={200: PlacementSerializer, **GET_ERRORS},
        **_COMMON,
    )
    def retrieve(self, request: Request, org_slug: str, placement_id: str) -> Response:
        return self.present(
            selectors.placement_get_any(actor=self.actor, placement_id=self.object_id())
        )

    @extend_schema(
        summary="Move a person into another session of the cycle",
        description="HR or keys with `reviews:write`; neither session may be locked.",
        request=TransferSerializer,
        responses={200: PlacementSerializer, **WRITE_ERRORS},
        **_COMMON,
    )
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, org_slug: str, placement_id: str) -> Response:
        placement = selectors.placement_get_any(actor=self.actor, placement_id=self.object_id())
        data = self.parse(TransferSerializer)
        placement = services.placement_transfer(
            actor=self.actor, placement=placement, session=data["session"], reason=data["reason"]
        )
        return self.present(
            selectors.placement_get_any(actor=self.actor, placement_id=placement.pk)
        )


class AdjustmentFilter(django_filters.FilterSet):
    placement = IdFilter(help_text="Id of the placement.")

    class Meta:
        model = CalibrationChange
        fields = ["placement"]


class CalibrationAdjustmentViewSet(OrgViewSet):
    model = CalibrationChange
    serializer_class = AdjustmentSerializer
    filterset_class = AdjustmentFilter
    filter_backends = [SelectorFilterBackend]
    required_scopes = {"list": READ, "create": ADJUST}

    def get_queryset(self) -> QuerySet[CalibrationChange]:
        return selectors.change_list(actor=self.actor)

    @extend_schema(
        summary="List adjustments (the history of placements)",
        responses={200: AdjustmentSerializer(many=True), **LIST_ERRORS},
        **_COMMON,
    )
    def list(self, request: Request, org_slug: str) -> Response:
        filters = parsed_filters(AdjustmentFilter, request)
        changes = self.get_queryset()
        if filters.get("placement") is not None:
            changes = changes.filter(placement_id=filters["placement"])
        return self.page(changes)

    @extend_schema(
        summary="Adjust a rating or potential, or move on the 9-box, with a reason",
        description="Keys need `calibration:write`. `performance` (1-3) moves to that band "
        "(the nearest rating of it); `rating` sets a level of the person's scale. 409 once "
        "the session is locked or when `version` is stale.",
        request=AdjustmentWriteSerializer,
        responses={201: PlacementSerializer, **WRITE_ERRORS},
        **_COMMON,
    )
    def create(self, request: Request, org_slug: str) -> Response:
        data = self.parse(AdjustmentWriteSerializer)
        placement = selectors.placement_get_any(actor=self.actor, placement_id=data["placement"])
        if "performance" in data:
            placement = services.placement_move(
                actor=self.actor,
                placement=placement,
                performance=data["performance"],
                potential=data.get("potential", placement.potential),
                reason=data["reason"],
                version=data.get("version"),
            )
        else:
            placement = services.placement_adjust(
                actor=self.actor,
                placement=placement,
                change=services.PlacementChange(
                    rating=data.get("rating", services.KEEP),
                    potential=data.get("potential", services.KEEP),
                    version=data.get("version"),
                ),
                reason=data["reason"],
            )
        fresh = selectors.placement_get_any(actor=self.actor, placement_id=placement.pk)
        return Response(
            PlacementSerializer(fresh, context=self.present_context()).data,
            status=status.HTTP_201_CREATED,
        )
