"""Development actions over the API: training, mentoring, stretch assignments, ..."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet
from perfmgmt.errors import DomainError

from .. import policies, selectors, services
from ..models import DevelopmentAction, DevelopmentPlan
from ..serializers import ActionCreateSerializer, ActionSerializer, ActionUpdateSerializer
from ._schema import (
    _COMMON,
    _GET_ERRORS,
    _READ_ERRORS,
    _WRITE_ERRORS,
    READ,
    WRITE,
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
class DevelopmentActionViewSet(OrgViewSet):
    model = DevelopmentAction
    selector = staticmethod(selectors.action_list)
    serializer_class = ActionSerializer
    lookup_url_kwarg = "action_id"
    filterset_class = ActionFilter
    required_scopes = {"list": READ, "retrieve": READ, "create": WRITE, "partial_update": WRITE}

    def list(self, request: Request, org_slug: str) -> Response:
        return self.page(self.listed())

    def retrieve(self, request: Request, org_slug: str, action_id: str) -> Response:
        found = selectors.action_get(actor=self.actor, action_id=self.object_id())
        return self.present(found)

    def create(self, request: Request, org_slug: str) -> Response:
        data = self.parse(ActionCreateSerializer)
        plan: DevelopmentPlan = data.pop("plan")
        if not policies.can_view_plan(self.actor, plan):
            raise DomainError(_("Unknown plan."), fields={"plan": [_("Unknown plan.")]})
        created = services.action_create(actor=self.actor, plan=plan, **data)
        return self.present(created, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, org_slug: str, action_id: str) -> Response:
        found = selectors.action_get(actor=self.actor, action_id=self.object_id())
        data = self.parse(ActionUpdateSerializer, partial=True)
        changed = services.action_update(actor=self.actor, action=found, **data)
        return self.present(changed)
