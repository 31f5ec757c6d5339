"""Review set-up over the API: rating scales and templates, read and write.

Everyone in the organization reads them; HR admins and owners, or keys with
`reviews:write`, change them (the same services as the pages). Launched cycles keep their
own copy, so a change reaches the next cycle only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet
from perfmgmt.api.schema import COMMON_PARAMETERS, GET_ERRORS, LIST_ERRORS, WRITE_ERRORS
from perfmgmt.errors import DomainError, NotFoundError

from .. import policies
from ..models import RatingScale, ReviewTemplate, TemplateQuestion, TemplateSection
from ..selectors import setup as selectors
from ..serializers.setup import (
    RatingScaleSerializer,
    ReviewTemplateSerializer,
    ReviewTemplateWriteSerializer,
    TemplatePartSerializer,
    TemplateQuestionWriteSerializer,
    TemplateSectionWriteSerializer,
)
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


def _not_in(template: ReviewTemplate, field: str) -> DomainError:
    return DomainError(
        _("No such part of this template."), fields={field: [_("Not in this template.")]}
    )


def _own_section(template: ReviewTemplate, section_id: int, field: str) -> TemplateSection:
    """A section of this template; another template's (or nothing) is a field error."""
    try:
        section = selectors.template_section_get(section_id=section_id)
    except NotFoundError:
        raise _not_in(template, field) from None
    if section.template_id != template.pk:
        raise _not_in(template, field)
    return section


def _own_question(template: ReviewTemplate, question_id: int) -> TemplateQuestion:
    try:
        question = selectors.template_question_get(question_id=question_id)
    except NotFoundError:
        raise _not_in(template, "id") from None
    if question.section.template_id != template.pk:
        raise _not_in(template, "id")
    return question


def _scale_for(scale_id: int | None) -> RatingScale | None:
    if scale_id is None:
        return None
    try:
        return selectors.rating_scale_get(scale_id=scale_id)
    except NotFoundError:
        raise DomainError(
            _("No such rating scale."), fields={"scale": [_("Unknown rating scale.")]}
        ) from None


_TEMPLATE_WRITE = {
    **_COMMON,
    "description": "HR admins and owners (or keys with `reviews:write`). Answers the whole "
    "template as it is now.",
    "responses": {200: ReviewTemplateSerializer, **WRITE_ERRORS},
}


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
    create=extend_schema(
        summary="Add a review template",
        **{**_TEMPLATE_WRITE, "responses": {201: ReviewTemplateSerializer, **WRITE_ERRORS}},
        request=ReviewTemplateWriteSerializer,
    ),
    add_section=extend_schema(
        summary="Add a section to a template",
        request=TemplateSectionWriteSerializer,
        **_TEMPLATE_WRITE,
    ),
    add_question=extend_schema(
        summary="Add a question to a section of a template",
        request=TemplateQuestionWriteSerializer,
        **_TEMPLATE_WRITE,
    ),
    remove_section=extend_schema(
        summary="Remove a section and its questions",
        request=TemplatePartSerializer,
        **_TEMPLATE_WRITE,
    ),
    remove_question=extend_schema(
        summary="Remove a question", request=TemplatePartSerializer, **_TEMPLATE_WRITE
    ),
)
class ReviewTemplateViewSet(OrgViewSet):
    model = ReviewTemplate
    serializer_class = ReviewTemplateSerializer
    lookup_url_kwarg = "template_id"
    filter_backends: list[Any] = []
    required_scopes = {
        "list": READ,
        "retrieve": READ,
        "create": WRITE,
        "add_section": WRITE,
        "add_question": WRITE,
        "remove_section": WRITE,
        "remove_question": WRITE,
    }

    def get_queryset(self) -> QuerySet[ReviewTemplate]:
        return selectors.review_template_list_with_contents()

    def list(self, request: Request, org_slug: str) -> Response:
        _require_read(self.actor)
        return self.page(self.get_queryset())

    def retrieve(self, request: Request, org_slug: str, template_id: str) -> Response:
        _require_read(self.actor)
        return self.present(selectors.review_template_get(template_id=self.object_id()))

    def create(self, request: Request, org_slug: str) -> Response:
        data = self.parse(ReviewTemplateWriteSerializer)
        template = services.review_template_create(actor=self.actor, **data)
        return self._fresh(template, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path="sections")
    def add_section(self, request: Request, org_slug: str, template_id: str) -> Response:
        template = selectors.review_template_get(template_id=self.object_id())
        data = self.parse(TemplateSectionWriteSerializer)
        services.template_section_create(actor=self.actor, template=template, **data)
        return self._fresh(template)

    @action(detail=True, methods=["post"], url_path="questions")
    def add_question(self, request: Request, org_slug: str, template_id: str) -> Response:
        template = selectors.review_template_get(template_id=self.object_id())
        data = self.parse(TemplateQuestionWriteSerializer)
        section = _own_section(template, data.pop("section"), "section")
        services.template_question_create(
            actor=self.actor,
            section=section,
            kind=data.pop("kind"),
            scale=_scale_for(data.pop("scale")),
            competency_ids=data.pop("competencies"),
            **data,
        )
        return self._fresh(template)

    @action(detail=True, methods=["post"], url_path="remove-section")
    def remove_section(self, request: Request, org_slug: str, template_id: str) -> Response:
        template = selectors.review_template_get(template_id=self.object_id())
        section = _own_section(template, self.parse(TemplatePartSerializer)["id"], "id")
        services.template_section_delete(actor=self.actor, section=section)
        return self._fresh(template)

    @action(detail=True, methods=["post"], url_path="remove-question")
    def remove_question(self, request: Request, org_slug: str, template_id: str) -> Response:
        template = selectors.review_template_get(template_id=self.object_id())
        question = _own_question(template, self.parse(TemplatePartSerializer)["id"])
        services.template_question_delete(actor=self.actor, question=question)
        return self._fresh(template)

    def _fresh(self, template: ReviewTemplate, code: int = status.HTTP_200_OK) -> Response:
        return self.present(selectors.review_template_get(template_id=template.pk), code)
