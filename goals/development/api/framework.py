"""The competency framework over the API: categories and competencies.

Everyone in the organization reads it; HR admins and owners (or keys with
`development:write`) change it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet

from .. import policies, selectors, services
from ..models import Competency, CompetencyCategory
from ..serializers import (
    CompetencyCategorySerializer,
    CompetencySerializer,
    CompetencyWriteSerializer,
)
from ._schema import (
    _COMMON,
    _GET_ERRORS,
    _READ_ERRORS,
    _WRITE_ERRORS,
    READ,
    WRITE,
)
from .filters import CompetencyFilter


def _framework_docs(noun: str, plural: str, read: type, write: type) -> Any:
    tags = ["competency framework"]
    return extend_schema_view(
        list=extend_schema(
            summary=f"List {plural}",
            description="Everyone in the organization may read the framework.",
            tags=tags,
            **_COMMON,
            responses={200: read(many=True), **_READ_ERRORS},
        ),
        retrieve=extend_schema(
            summary=f"Get a {noun}", tags=tags, **_COMMON, responses={200: read, **_GET_ERRORS}
        ),
        create=extend_schema(
            summary=f"Add a {noun}",
            description="HR admins and owners (or keys with `development:write`).",
            tags=tags,
            **_COMMON,
            request=write,
            responses={201: read, **_WRITE_ERRORS},
        ),
        partial_update=extend_schema(
            summary=f"Change a {noun}",
            description="Only the fields sent change.",
            tags=tags,
            **_COMMON,
            request=write,
            responses={200: read, **_WRITE_ERRORS},
        ),
    )


@_framework_docs(
    "competency category",
    "competency categories",
    CompetencyCategorySerializer,
    CompetencyCategorySerializer,
)
class CompetencyCategoryViewSet(OrgViewSet):
    model = CompetencyCategory
    serializer_class = CompetencyCategorySerializer
    lookup_url_kwarg = "category_id"
    present_fresh = True
    filter_backends: list[Any] = []
    required_scopes = {"list": READ, "retrieve": READ, "create": WRITE, "partial_update": WRITE}

    def get_queryset(self) -> QuerySet[CompetencyCategory]:
        return selectors.competency_category_list()

    def _require_read(self) -> None:
        if not policies.can_view_framework(self.actor):
            raise PermissionDenied(_("You may not read the competency framework."))

    def list(self, request: Request, org_slug: str) -> Response:
        self._require_read()
        return self.page(self.get_queryset())

    def retrieve(self, request: Request, org_slug: str, category_id: str) -> Response:
        self._require_read()
        return self.present(selectors.competency_category_get(category_id=self.object_id()))

    def create(self, request: Request, org_slug: str) -> Response:
        data = self.parse(CompetencyCategorySerializer)
        category = services.competency_category_create(actor=self.actor, **data)
        return self.present(category, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, org_slug: str, category_id: str) -> Response:
        category = selectors.competency_category_get(category_id=self.object_id())
        data = self.parse(CompetencyCategorySerializer, partial=True)
        category = services.competency_category_update(actor=self.actor, category=category, **data)
        return self.present(category)


def _level_pairs(levels: list[dict[str, str]] | None) -> list[tuple[str, str]] | None:
    if levels is None:
        return None
    return [(level["name"], level["behaviour"]) for level in levels]


@_framework_docs("competency", "competencies", CompetencySerializer, CompetencyWriteSerializer)
class CompetencyViewSet(OrgViewSet):
    model = Competency
    serializer_class = CompetencySerializer
    lookup_url_kwarg = "competency_id"
    present_fresh = True
    filterset_class = CompetencyFilter
    required_scopes = {"list": READ, "retrieve": READ, "create": WRITE, "partial_update": WRITE}

    def get_queryset(self) -> QuerySet[Competency]:
        return selectors.competency_list()

    def _require_read(self) -> None:
        if not policies.can_view_framework(self.actor):
            raise PermissionDenied(_("You may not read the competency framework."))

    def list(self, request: Request, org_slug: str) -> Response:
        self._require_read()
        return self.page(selectors.competency_list(**self.filter_arguments()))

    def retrieve(self, request: Request, org_slug: str, competency_id: str) -> Response:
        self._require_read()
        return self.present(selectors.competency_get(competency_id=self.object_id()))

    def create(self, request: Request, org_slug: str) -> Response:
        data = self.parse(CompetencyWriteSerializer)
        levels = _level_pairs(data.pop("levels", None)) or []
        active = data.pop("active")
        competency = services.competency_create(actor=self.actor, levels=levels, **data)
        if not active:
            competency = services.competency_update(
                actor=self.actor, competency=competency, active=False
            )
        return self.present(competency, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, org_slug: str, competency_id: str) -> Response:
        competency = selectors.competency_get(competency_id=self.object_id())
        data = self.parse(CompetencyWriteSerializer, partial=True)
        levels = _level_pairs(data.pop("levels", None))
        competency = services.competency_update(
            actor=self.actor, competency=competency, levels=levels, **data
        )
        return self.present(competency)
