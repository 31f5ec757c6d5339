"""Feedback requests over the REST API: /api/v1/orgs/<org_slug>/feedback-requests/
(+ answer, decline).

Ask people for feedback about oneself or a report; those asked answer or decline.
"""

from __future__ import annotations

import django_filters
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet
from perfmgmt.api.filters import IdFilter

from .. import selectors, services
from ..models import FeedbackAsk, FeedbackRequest
from ..serializers import (
    FeedbackAnswerSerializer,
    FeedbackDeclineSerializer,
    FeedbackRequestCreateSerializer,
    FeedbackRequestSerializer,
    FeedbackRequestUpdateSerializer,
    FeedbackSerializer,
)
from ._schema import PERSONAL, _schema


class FeedbackRequestFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(
        choices=[("made", "made"), ("asked", "asked")],
        help_text="made: requests I made; asked: requests I was asked to answer.",
    )
    status = django_filters.ChoiceFilter(
        choices=FeedbackAsk.Status.choices,
        help_text="The status of my own answer (for requests I was asked in).",
    )
    subject = IdFilter(field_name="subject_id", help_text="About this person.")

    class Meta:
        model = FeedbackRequest
        fields = ["role", "status", "subject"]


@_schema(
    "feedback requests",
    FeedbackRequestSerializer,
    create=dict(
        summary="Ask people for feedback (about myself, or a report)",
        request=FeedbackRequestCreateSerializer,
        responses={201: FeedbackRequestSerializer},
    ),
    partial_update=dict(
        summary="Change the prompt or due date of my request",
        request=FeedbackRequestUpdateSerializer,
    ),
    answer=dict(
        summary="Answer a request I was asked in",
        description="Creates feedback about the request's subject, linked to the request.",
        request=FeedbackAnswerSerializer,
        responses={201: FeedbackSerializer},
    ),
    decline=dict(summary="Decline a request I was asked in", request=FeedbackDeclineSerializer),
)
class FeedbackRequestViewSet(OrgViewSet):
    model = FeedbackRequest
    people_only = PERSONAL
    serializer_class = FeedbackRequestSerializer
    filterset_class = FeedbackRequestFilter
    lookup_url_kwarg = "feedback_request_id"

    def _get(self, request_id: str) -> FeedbackRequest:
        return self.visible(
            lambda: selectors.feedback_request_lookup(request_id=request_id),
            lambda person: selectors.feedback_request_get(actor=person, request_id=request_id),
        )

    def list(self, request: Request, org_slug: str) -> Response:
        requests = selectors.feedback_request_list(actor=self.person(), **self.filter_arguments())
        return self.page(requests)

    def retrieve(self, request: Request, org_slug: str, feedback_request_id: str) -> Response:
        return self.present(self._get(feedback_request_id))

    def create(self, request: Request, org_slug: str) -> Response:
        person = self.person()
        data = self.parse(FeedbackRequestCreateSerializer)
        data["subject"] = data.get("subject") or person
        created = services.feedback_request_create(actor=person, **data)
        return self.present(self._get(str(created.pk)), status.HTTP_201_CREATED)

    def partial_update(self, request: Request, org_slug: str, feedback_request_id: str) -> Response:
        feedback_request = self._get(feedback_request_id)
        data = self.parse(FeedbackRequestUpdateSerializer, partial=True)
        services.feedback_request_update(actor=self.person(), request=feedback_request, **data)
        return self.present(self._get(feedback_request_id))

    @action(detail=True, methods=["post"])
    def answer(self, request: Request, org_slug: str, feedback_request_id: str) -> Response:
        feedback_request = self._get(feedback_request_id)
        feedback = services.feedback_request_answer(
            actor=self.person(), request=feedback_request, **self.parse(FeedbackAnswerSerializer)
        )
        return self.present(feedback, status.HTTP_201_CREATED, serializer=FeedbackSerializer)

    @action(detail=True, methods=["post"])
    def decline(self, request: Request, org_slug: str, feedback_request_id: str) -> Response:
        feedback_request = self._get(feedback_request_id)
        data = self.parse(FeedbackDeclineSerializer)
        services.feedback_request_decline(
            actor=self.person(), request=feedback_request, reason=data["reason"]
        )
        return self.present(self._get(feedback_request_id))
