"""Development actions over the API: training, mentoring, stretch assignments, ..."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.errors import DomainError

from .. import policies, selectors, services
from ..models import DevelopmentAction, DevelopmentPlan
from ..serializers import ActionCreateSerializer, ActionSerializer, ActionUpdateSerializer
from ._base import (
    _COMMON,
    _GET_ERRORS,
    _READ_ERRORS,
    _WRITE_ERRORS,
    READ,
    WRITE,
    _DevelopmentViewSet,
)
from .filters import ActionFilter

_ACTION_TAGS = ["development plans"]


@extend_schema_view(
    list=extend_schema(
        summary="List development actions",
        description="Actions of the plans the caller may read.",
        tags=_ACTION_TAGS,
        **_COMMON,
        responses={200: ActionSerializer(many=True), **_READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Get a development action",
        tags=_ACTION_TAGS,
        **_COMMON,
        responses={200: ActionSerializer, **_GET_ERRORS},
    ),
    create=extend_schema(
        summary="Add an action to a plan",
        description="Training, mentoring, a stretch assignment, reading or other.",
        tags=_ACTION_TAGS,
        **_COMMON,
        request=ActionCreateSerializer,
        responses={201: ActionSerializer, **_WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Change a development action",
        description="Only the fields sent change; marking it done records when.",
        tags=_ACTION_TAGS,
        **_COMMON,
        request=ActionUpdateSerializer,
        responses={200: ActionSerializer, **_WRITE_ERRORS},
    ),
)
class DevelopmentActionViewSet(_DevelopmentViewSet):
    queryset = DevelopmentAction.unscoped.none()
    serializer_class = ActionSerializer
    lookup_url_kwarg = "action_id"
    filterset_class = ActionFilter
    required_scopes = {"list": READ, "retrieve": READ, "create": WRITE, "partial_update": WRITE}

    def get_queryset(self) -> QuerySet[DevelopmentAction]:
        return selectors.action_list(actor=self.actor)

    def list(self, request: Request, org_slug: str) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(
            ActionSerializer(page, many=True).data  # type: ignore[arg-type]
        )

    def retrieve(self, request: Request, org_slug: str, action_id: str) -> Response:
        found = selectors.action_get(actor=self.actor, action_id=action_id)
        return Response(ActionSerializer(found).data)

    def create(self, request: Request, org_slug: str) -> Response:
        serializer = ActionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        plan: DevelopmentPlan = data.pop("plan")
        if not policies.can_view_plan(self.actor, plan):
            raise DomainError("Unknown plan.", fields={"plan": ["Unknown plan."]})
        created = services.action_create(actor=self.actor, plan=plan, **data)
        return Response(ActionSerializer(created).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, org_slug: str, action_id: str) -> Response:
        found = selectors.action_get(actor=self.actor, action_id=action_id)
        serializer = ActionUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changed = services.action_update(
            actor=self.actor, action=found, **serializer.validated_data
        )
        return Response(ActionSerializer(changed).data)
