"""Development objectives over the API: each is a learning goal of a plan."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from .. import selectors, services
from ..models import DevelopmentObjective
from ..serializers import ObjectiveDetailSerializer, ObjectiveUpdateSerializer
from ._base import (
    _COMMON,
    _GET_ERRORS,
    _PLAN_TAGS,
    _READ_ERRORS,
    _WRITE_ERRORS,
    READ,
    WRITE,
    _DevelopmentViewSet,
)
from .filters import ObjectiveFilter


@extend_schema_view(
    list=extend_schema(
        summary="List development objectives",
        description="Objectives of the plans the caller may read; each is a learning goal.",
        tags=_PLAN_TAGS,
        **_COMMON,
        responses={200: ObjectiveDetailSerializer(many=True), **_READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Get a development objective",
        tags=_PLAN_TAGS,
        **_COMMON,
        responses={200: ObjectiveDetailSerializer, **_GET_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Change a development objective",
        description="Changes its learning goal through the goal rules; on an agreed plan this "
        "asks for agreement again.",
        tags=_PLAN_TAGS,
        **_COMMON,
        request=ObjectiveUpdateSerializer,
        responses={200: ObjectiveDetailSerializer, **_WRITE_ERRORS},
    ),
    destroy=extend_schema(
        summary="Remove a development objective",
        description="Takes it out of the plan and cancels its learning goal (kept, not "
        "deleted). On an agreed plan this asks for agreement again.",
        tags=_PLAN_TAGS,
        **_COMMON,
        responses={204: None, **_WRITE_ERRORS},
    ),
)
class DevelopmentObjectiveViewSet(_DevelopmentViewSet):
    queryset = DevelopmentObjective.unscoped.none()
    serializer_class = ObjectiveDetailSerializer
    lookup_url_kwarg = "objective_id"
    filterset_class = ObjectiveFilter
    required_scopes = {
        "list": READ,
        "retrieve": READ,
        "partial_update": WRITE,
        "destroy": WRITE,
    }

    def get_queryset(self) -> QuerySet[DevelopmentObjective]:
        return selectors.objective_list(actor=self.actor)

    def _objective(self, objective_id: str) -> DevelopmentObjective:
        return selectors.objective_get(actor=self.actor, objective_id=objective_id)

    def _present(self, objective: DevelopmentObjective) -> Response:
        fresh = self.get_queryset().get(pk=objective.pk)
        return Response(ObjectiveDetailSerializer(fresh).data)

    def list(self, request: Request, org_slug: str) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(
            ObjectiveDetailSerializer(page, many=True).data  # type: ignore[arg-type]
        )

    def retrieve(self, request: Request, org_slug: str, objective_id: str) -> Response:
        return self._present(self._objective(objective_id))

    def partial_update(self, request: Request, org_slug: str, objective_id: str) -> Response:
        objective = self._objective(objective_id)
        serializer = ObjectiveUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.objective_update(
            actor=self.actor, objective=objective, **serializer.validated_data
        )
        return self._present(objective)

    def destroy(self, request: Request, org_slug: str, objective_id: str) -> Response:
        objective = self._objective(objective_id)
        services.objective_remove(actor=self.actor, objective=objective)
        return Response(status=status.HTTP_204_NO_CONTENT)
