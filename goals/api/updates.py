"""Goal updates over the REST API: check-ins on the goals the caller may read."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet
from perfmgmt.api.models import Scope
from perfmgmt.api.schema import error_responses

from .. import selectors, services
from ..models import Goal, GoalUpdate
from ..serializers import (
    GoalUpdateCreateSerializer,
    GoalUpdateEditSerializer,
    GoalUpdateSerializer,
)
from .filters import GoalUpdateFilter
from .goals import _COMMON, _READ_ERRORS, _WRITE_ERRORS, require_visible


@extend_schema_view(
    list=extend_schema(
        summary="List goal updates",
        description="Check-ins on the goals the caller may read, ordered by id.",
        tags=["goal updates"],
        **_COMMON,
        responses={200: GoalUpdateSerializer(many=True), **_READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Get a goal update",
        tags=["goal updates"],
        **_COMMON,
        responses={200: GoalUpdateSerializer, **error_responses(401, 403, 404, 429)},
    ),
    create=extend_schema(
        summary="Post a goal update",
        description=(
            "A new current value and/or the done milestones, a confidence level and a "
            "comment. The goal's progress and its parents' roll-up are refreshed."
        ),
        tags=["goal updates"],
        **_COMMON,
        request=GoalUpdateCreateSerializer,
        responses={201: GoalUpdateSerializer, **_WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Correct a goal update",
        description="The author corrects the comment or confidence; values stay as history.",
        tags=["goal updates"],
        **_COMMON,
        request=GoalUpdateEditSerializer,
        responses={200: GoalUpdateSerializer, **_WRITE_ERRORS},
    ),
)
class GoalUpdateViewSet(OrgViewSet):
    model = GoalUpdate
    selector = staticmethod(selectors.goal_update_list)
    serializer_class = GoalUpdateSerializer
    filterset_class = GoalUpdateFilter
    lookup_url_kwarg = "goal_update_id"
    required_scopes = {
        "list": Scope.GOALS_READ,
        "retrieve": Scope.GOALS_READ,
        "create": Scope.GOALS_WRITE,
        "partial_update": Scope.GOALS_WRITE,
    }

    def _update(self) -> GoalUpdate:
        try:
            return self.get_queryset().get(pk=self.object_id())
        except GoalUpdate.DoesNotExist:
            raise Http404("No such goal update.") from None

    def list(self, request: Request, org_slug: str) -> Response:
        return self.page(self.listed())

    def retrieve(self, request: Request, org_slug: str, goal_update_id: str) -> Response:
        return self.present(self._update())

    def create(self, request: Request, org_slug: str) -> Response:
        data = self.parse(GoalUpdateCreateSerializer)
        goal: Goal = data.pop("goal")
        require_visible(self.actor, goal, field="goal")
        update = services.goal_update_post(actor=self.actor, goal=goal, **data)
        return self.present(update, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, org_slug: str, goal_update_id: str) -> Response:
        update = self._update()
        data = self.parse(GoalUpdateEditSerializer, partial=True)
        update = services.goal_update_edit(actor=self.actor, update=update, **data)
        return self.present(update)
