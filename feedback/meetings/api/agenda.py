"""What a meeting covers and agrees: talking points and action items."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet

from .. import selectors, services
from ..models import ActionItem, TalkingPoint
from ..serializers import (
    ActionItemCreateSerializer,
    ActionItemSerializer,
    ActionItemUpdateSerializer,
    TalkingPointCreateSerializer,
    TalkingPointSerializer,
    TalkingPointUpdateSerializer,
)
from ._schema import ID_PATTERN, SCOPES, _known, _schema, refuse_keys
from .filters import ActionItemFilter, TalkingPointFilter


@_schema(
    "talking point",
    TalkingPointSerializer,
    TalkingPointCreateSerializer,
    TalkingPointUpdateSerializer,
)
class TalkingPointViewSet(OrgViewSet):
    model = TalkingPoint
    selector = staticmethod(selectors.talking_point_list)
    serializer_class = TalkingPointSerializer
    filterset_class = TalkingPointFilter
    lookup_value_regex = ID_PATTERN
    required_scopes = SCOPES

    def list(self, request: Request, org_slug: str) -> Response:
        return self.page(self.listed())

    def retrieve(self, request: Request, org_slug: str, pk: str) -> Response:
        return self.present(
            selectors.talking_point_get(actor=self.actor, point_id=self.object_id())
        )

    def create(self, request: Request, org_slug: str) -> Response:
        refuse_keys(self.actor)
        data = self.parse(TalkingPointCreateSerializer)
        meeting = _known(
            lambda: selectors.meeting_get(actor=self.actor, meeting_id=data["meeting"]),
            "meeting",
            gettext("Unknown meeting."),
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
        point = selectors.talking_point_get(actor=self.actor, point_id=self.object_id())
        refuse_keys(self.actor)
        data = self.parse(TalkingPointUpdateSerializer)
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
class ActionItemViewSet(OrgViewSet):
    model = ActionItem
    selector = staticmethod(selectors.action_item_list)
    serializer_class = ActionItemSerializer
    filterset_class = ActionItemFilter
    lookup_value_regex = ID_PATTERN
    required_scopes = SCOPES

    def list(self, request: Request, org_slug: str) -> Response:
        return self.page(self.listed())

    def retrieve(self, request: Request, org_slug: str, pk: str) -> Response:
        return self.present(selectors.action_item_get(actor=self.actor, item_id=self.object_id()))

    def create(self, request: Request, org_slug: str) -> Response:
        refuse_keys(self.actor)
        data = self.parse(ActionItemCreateSerializer)
        meeting = _known(
            lambda: selectors.meeting_get(actor=self.actor, meeting_id=data["meeting"]),
            "meeting",
            gettext("Unknown meeting."),
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
        item = selectors.action_item_get(actor=self.actor, item_id=self.object_id())
        refuse_keys(self.actor)
        data = self.parse(ActionItemUpdateSerializer)
        changes: dict[str, Any] = {
            key: data[key] for key in ("text", "owner", "due_date", "done") if key in data
        }
        item = services.action_item_update(
            actor=self.actor, item=item, expected_version=data.get("version"), **changes
        )
        return self.present(item)
