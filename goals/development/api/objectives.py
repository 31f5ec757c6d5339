"""Development objectives over the API: each is a learning goal of a plan."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet

from .. import selectors, services
from ..models import DevelopmentObjective
from ..serializers import ObjectiveDetailSerializer, ObjectiveUpdateSerializer
from ._schema import (
    _COMMON,
    _GET_ERRORS,
    _PLAN_TAGS,
    _READ_ERRORS,
    _WRITE_ERRORS,
    READ,
    WRITE,
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
class DevelopmentObjectiveViewSet(OrgViewSet):
    model = DevelopmentObjective
    selector = staticmethod(selectors.objective_list)
    serializer_class = ObjectiveDetailSerializer
    lookup_url_kwarg = "objective_id"
    present_fresh = True
    filterset_class = ObjectiveFilter
    required_scopes = {
        "list": READ,
        "retrieve": READ,
        "partial_update": WRITE,
        "destroy": WRITE,
    }

    def _objective(self) -> DevelopmentObjective:
        return selectors.objective_get(actor=self.actor, objective_id=self.object_id())

    def list(self, request: Request, org_slug: str) -> Response:
        return self.page(self.listed())

    def retrieve(self, request: Request, org_slug: str, objective_id: str) -> Response:
        return self.present(self._objective())

    def partial_update(self, request: Request, org_slug: str, objective_id: str) -> Response:
        objective = self._objective()
        data = self.parse(ObjectiveUpdateSerializer, partial=True)
        services.objective_update(actor=self.actor, objective=objective, **data)
        return self.present(objective)

    def destroy(self, request: Request, org_slug: str, objective_id: str) -> Response:
        objective = self._objective()
        services.objective_remove(actor=self.actor, objective=objective)
        return Response(status=status.HTTP_204_NO_CONTENT)
