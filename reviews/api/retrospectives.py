"""Retrospectives over the API: a person answers (sessions only); HR, or a key with
`reviews:read`, reads the combined results, which are all there is to read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet
from perfmgmt.api.schema import COMMON_PARAMETERS, GET_ERRORS, WRITE_ERRORS

from .. import policies
from ..models import Retrospective
from ..retrospective_questions import QUESTION_KEYS
from ..selectors import retrospectives as selectors
from ..selectors.retrospectives import RetrospectiveResults
from ..serializers.retrospectives import (
    RetrospectiveAnswerSerializer,
    RetrospectiveResultsSerializer,
)
from ..services import retrospectives as services

_COMMON: dict[str, Any] = {"parameters": COMMON_PARAMETERS, "tags": ["review retrospectives"]}


@dataclass(frozen=True)
class _Presented:
    retrospective: Retrospective
    results: RetrospectiveResults


class RetrospectiveViewSet(OrgViewSet):
    model = Retrospective
    serializer_class = RetrospectiveResultsSerializer
    lookup_url_kwarg = "retrospective_id"
    filter_backends: list[Any] = []
    # Answering is a person's; the results are checked by their policy (keys: reviews:read).
    people_only = "Only the people a retrospective asks answer it."

    @extend_schema(
        summary="A retrospective's combined results",
        description="HR, or a key with `reviews:read`. Below the cycle's anonymity threshold "
        "only the response rate is given; answers are never given one by one.",
        responses={200: RetrospectiveResultsSerializer, **GET_ERRORS},
        **_COMMON,
    )
    def retrieve(self, request: Request, org_slug: str, retrospective_id: str) -> Response:
        retrospective = selectors.retrospective_get(retrospective_id=self.object_id())
        if not policies.can_read_retrospective_results(self.actor):
            raise PermissionDenied("Only HR reads a retrospective's results.")
        presented = _Presented(retrospective, selectors.retrospective_results(retrospective))
        return Response(RetrospectiveResultsSerializer(presented).data)

    @extend_schema(
        summary="Answer a retrospective",
        description="Once per person (a second answer is a 409), while it is open. The answer "
        "is stored without its author; 204 with nothing to read back.",
        request=RetrospectiveAnswerSerializer,
        responses={204: None, **WRITE_ERRORS},
        **_COMMON,
    )
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, org_slug: str, retrospective_id: str) -> Response:
        retrospective = self.visible(
            lambda: selectors.retrospective_get(retrospective_id=self.object_id()),
            lambda person: selectors.retrospective_to_answer(
                actor=person, retrospective_id=self.object_id()
            ),
        )
        data = self.parse(RetrospectiveAnswerSerializer)
        services.retrospective_answer(
            actor=self.actor,
            retrospective=retrospective,
            scores={key: data[key] for key in QUESTION_KEYS},
            comment=data.get("comment", ""),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
