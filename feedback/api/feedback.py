"""Feedback over the REST API: /api/v1/orgs/<org_slug>/feedback/.

Give feedback, read what one may (received, given, about one's team), correct what one gave.
"""

from __future__ import annotations

import django_filters
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet
from perfmgmt.api.filters import IdFilter, UtcDateTimeFilter

from .. import selectors, services
from ..models import Feedback, FeedbackVisibility
from ..serializers import (
    FEEDBACK_JSON,
    FeedbackCreateSerializer,
    FeedbackSerializer,
    FeedbackUpdateSerializer,
)
from ._schema import PERSONAL, _schema


class FeedbackFilter(django_filters.FilterSet):
    direction = django_filters.ChoiceFilter(
        choices=[(d, d) for d in selectors.FEEDBACK_DIRECTIONS],
        help_text="received (for me), given (by me), team (about people below me), all.",
    )
    recipient = IdFilter(field_name="recipient_id", help_text="About this person.")
    giver = IdFilter(field_name="giver_id", help_text="Given by this person.")
    visibility = django_filters.ChoiceFilter(choices=FeedbackVisibility.choices)
    since = UtcDateTimeFilter(field_name="created_at", lookup_expr="gte")

    class Meta:
        model = Feedback
        fields = ["direction", "recipient", "giver", "visibility", "since"]


@_schema(
    "feedback",
    FeedbackSerializer,
    create=dict(
        summary="Give feedback",
        request=FeedbackCreateSerializer,
        responses={201: FeedbackSerializer},
    ),
    partial_update=dict(
        summary="Correct feedback I gave (text only)", request=FeedbackUpdateSerializer
    ),
)
class FeedbackViewSet(OrgViewSet):
    model = Feedback
    people_only = PERSONAL
    serializer_class = FeedbackSerializer
    filterset_class = FeedbackFilter
    lookup_url_kwarg = "feedback_id"

    def _get(self, feedback_id: str) -> Feedback:
        return self.visible(
            lambda: selectors.feedback_lookup(feedback_id=feedback_id),
            lambda person: selectors.feedback_get(actor=person, feedback_id=feedback_id),
        )

    def list(self, request: Request, org_slug: str) -> Response:
        person = self.person()
        return self.page(
            selectors.feedback_rows(actor=person, **self.filter_arguments()),
            rows=FEEDBACK_JSON,
            shown=lambda page: services.manager_content_read(
                actor=person, feedback=selectors.feedback_of_rows(page)
            ),
        )

    def retrieve(self, request: Request, org_slug: str, feedback_id: str) -> Response:
        feedback = self._get(feedback_id)
        services.manager_content_read(actor=self.person(), feedback=[feedback])
        return self.present(feedback)

    def create(self, request: Request, org_slug: str) -> Response:
        person = self.person()
        feedback = services.feedback_give(actor=person, **self.parse(FeedbackCreateSerializer))
        feedback = selectors.feedback_get(actor=person, feedback_id=feedback.pk)
        return self.present(feedback, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, org_slug: str, feedback_id: str) -> Response:
        feedback = self._get(feedback_id)
        data = self.parse(FeedbackUpdateSerializer, partial=True)
        feedback = services.feedback_update(actor=self.person(), feedback=feedback, **data)
        return self.present(feedback)
