"""Reviews over the API: list and read what the caller may read; a person writes their own
answers (with the version they read: 409 when stale, with what is stored) and submits.

API keys with `reviews:read` read submitted reviews; an API key cannot author a review (403
after the lookup, so another organization's id stays a 404).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet
from perfmgmt.api.filters import IdFilter, SelectorFilterBackend, parsed_filters
from perfmgmt.api.schema import COMMON_PARAMETERS, GET_ERRORS, LIST_ERRORS, WRITE_ERRORS

from .. import policies
from ..models import Review
from ..selectors import listing
from ..selectors import writing as selectors
from ..serializers.reviews import (
    AnswersWriteSerializer,
    ReviewDetailSerializer,
    ReviewFilterFields,
    ReviewSerializer,
    SubmitSerializer,
)
from ..services import writing as services

READ, WRITE = policies.READ_SCOPE, policies.WRITE_SCOPE
_COMMON: dict[str, Any] = {"parameters": COMMON_PARAMETERS, "tags": ["reviews"]}


class ReviewFilter(django_filters.FilterSet):
    cycle = IdFilter(help_text="Reviews of this cycle.")
    reviewee = IdFilter(help_text="Reviews about this person (a member id).")
    reviewer = IdFilter(help_text="Reviews written by this person (a member id).")
    status = django_filters.ChoiceFilter(choices=ReviewFilterFields.statuses)
    phase = django_filters.ChoiceFilter(
        choices=ReviewFilterFields.phases,
        help_text="Reviews of this kind whose author may write now (the phase is open).",
    )

    class Meta:
        model = Review
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(
        summary="List reviews",
        description="Drafts reach their author only; keys read submitted reviews.",
        **_COMMON,
        responses={200: ReviewSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Get a review with the answers you may read",
        **_COMMON,
        responses={200: ReviewDetailSerializer, **GET_ERRORS},
    ),
    answers=extend_schema(
        summary="Save draft answers",
        description="Send the version you read; a newer stored version is a 409 whose body "
        "carries it (`error.current`: version and answers). People only.",
        **_COMMON,
        request=AnswersWriteSerializer,
        responses={200: ReviewDetailSerializer, **WRITE_ERRORS},
    ),
    submit=extend_schema(
        summary="Submit a review",
        description="Every required question answered, the phase open. Submitting twice is "
        "a no-op. People only.",
        **_COMMON,
        request=SubmitSerializer,
        responses={200: ReviewDetailSerializer, **WRITE_ERRORS},
    ),
)
class ReviewViewSet(OrgViewSet):
    model = Review
    serializer_class = ReviewSerializer
    lookup_url_kwarg = "review_id"
    filterset_class = ReviewFilter
    filter_backends = [SelectorFilterBackend]
    required_scopes = {"list": READ, "retrieve": READ, "answers": WRITE, "submit": WRITE}

    def get_queryset(self) -> QuerySet[Review]:
        filters = parsed_filters(ReviewFilter, self.request)
        return listing.review_list(
            actor=self.actor,
            cycle_id=filters.get("cycle"),
            reviewee_id=filters.get("reviewee"),
            reviewer_id=filters.get("reviewer"),
            status=filters.get("status") or None,
            phase=filters.get("phase") or None,
        )

    def _review(self) -> Review:
        return selectors.review_get(actor=self.actor, review_id=self.object_id())

    def _require_person(self) -> None:
        """After the lookup, so another organization's id is a 404 even for a key."""
        if self.actor.is_api_client:
            raise PermissionDenied(_("An API key cannot write a review; a person does."))

    def _detail(self) -> Response:
        """The review as a read answers it (read again after a write)."""
        review = self._review()
        review.readable_answers = listing.readable_answers(actor=self.actor, review=review)  # type: ignore[attr-defined]
        return self.present(review, serializer=ReviewDetailSerializer)

    def list(self, request: Request, org_slug: str) -> Response:
        return self.page(self.get_queryset())

    def retrieve(self, request: Request, org_slug: str, review_id: str) -> Response:
        return self._detail()

    @action(detail=True, methods=["put", "patch"])
    def answers(self, request: Request, org_slug: str, review_id: str) -> Response:
        review = self._review()
        self._require_person()
        data = self.parse(AnswersWriteSerializer)
        answers = [services.AnswerInput(**answer) for answer in data["answers"]]
        services.review_save(
            actor=self.actor, review=review, answers=answers, version=data["version"]
        )
        return self._detail()

    @action(detail=True, methods=["post"])
    def submit(self, request: Request, org_slug: str, review_id: str) -> Response:
        review = self._review()
        self._require_person()
        data = self.parse(SubmitSerializer)
        services.review_submit(actor=self.actor, review=review, version=data.get("version"))
        return self._detail()
