"""Review set-up over the API: rating scales (read and write) and templates (read).

Everyone in the organization reads them; HR admins and owners, or keys with
`reviews:write`, change scales. Templates are built on the pages for now.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet
from perfmgmt.api.schema import COMMON_PARAMETERS, GET_ERRORS, LIST_ERRORS, WRITE_ERRORS

from .. import policies
from ..models import RatingScale, ReviewTemplate
from ..selectors import setup as selectors
from ..serializers.setup import RatingScaleSerializer, ReviewTemplateSerializer
from ..services import setup as services
from ..services.setup import LevelInput

READ, WRITE = policies.READ_SCOPE, policies.WRITE_SCOPE
_COMMON: dict[str, Any] = {"parameters": COMMON_PARAMETERS, "tags": ["review set-up"]}


def _levels(data: dict[str, Any]) -> list[LevelInput]:
    return [
        LevelInput(
            value=level["value"], label=level["label"], description=level.get("description", "")
        )
        for level in data.pop("levels")
    ]


def _require_read(actor: Any) -> None:
    if not policies.can_view_review_setup(actor):
        raise PermissionDenied("You may not read the review set-up.")


@extend_schema_view(
    list=extend_schema(
        summary="List rating scales",
        **_COMMON,
        responses={200: RatingScaleSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Get a rating scale",
        **_COMMON,
        responses={200: RatingScaleSerializer, **GET_ERRORS},
    ),
    create=extend_schema(
        summary="Add a rating scale",
        description="HR admins and owners (or keys with `reviews:write`).",
        **_COMMON,
        request=RatingScaleSerializer,
        responses={201: RatingScaleSerializer, **WRITE_ERRORS},
    ),
    update=extend_schema(
        summary="Replace a rating scale and its levels",
        description="Cycles already launched keep their copy of the scale.",
        **_COMMON,
        request=RatingScaleSerializer,
        responses={200: RatingScaleSerializer, **WRITE_ERRORS},
    ),
)
class RatingScaleViewSet(OrgViewSet):
    model = RatingScale
    serializer_class = RatingScaleSerializer
    lookup_url_kwarg = "scale_id"
    present_fresh = True
    filter_backends: list[Any] = []
    required_scopes = {"list": READ, "retrieve": READ, "create": WRITE, "update": WRITE}

    def get_queryset(self) -> QuerySet[RatingScale]:
        return selectors.rating_scale_list()

    def list(self, request: Request, org_slug: str) -> Response:
        _require_read(self.actor)
        return self.page(self.get_queryset())

    def retrieve(self, request: Request, org_slug: str, scale_id: str) -> Response:
        _require_read(self.actor)
        return self.present(selectors.rating_scale_get(scale_id=self.object_id()))

    def create(self, request: Request, org_slug: str) -> Response:
        data = self.parse(RatingScaleSerializer)
        scale = services.rating_scale_create(actor=self.actor, levels=_levels(data), **data)
        return self.present(scale, status.HTTP_201_CREATED)

    def update(self, request: Request, org_slug: str, scale_id: str) -> Response:
        scale = selectors.rating_scale_get(scale_id=self.object_id())
        data = self.parse(RatingScaleSerializer)
        scale = services.rating_scale_update(
            actor=self.actor, scale=scale, levels=_levels(data), **data
        )
        return self.present(scale)


@extend_schema_view(
    list=extend_schema(
        summary="List review templates",
        **_COMMON,
        responses={200: ReviewTemplateSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Get a review template with its sections and questions",
        **_COMMON,
        responses={200: ReviewTemplateSerializer, **GET_ERRORS},
    ),
)
class ReviewTemplateViewSet(OrgViewSet):
    model = ReviewTemplate
    serializer_class = ReviewTemplateSerializer
    lookup_url_kwarg = "template_id"
    filter_backends: list[Any] = []
    required_scopes = {"list": READ, "retrieve": READ}

    def get_queryset(self) -> QuerySet[ReviewTemplate]:
        return selectors.review_template_list_with_contents()

    def list(self, request: Request, org_slug: str) -> Response:
        _require_read(self.actor)
        return self.page(self.get_queryset())

    def retrieve(self, request: Request, org_slug: str, template_id: str) -> Response:
        _require_read(self.actor)
        return self.present(selectors.review_template_get(template_id=self.object_id()))
