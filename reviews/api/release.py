"""Release and acknowledgement over the API: a cycle's release, progress and CSV export;
one participant's release; the reviewee's comment and acknowledgement (people only).

Keys read with `reviews:read` and release with `reviews:write`; the services and
selectors apply the same policies as the pages.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponseBase
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt import exports
from perfmgmt.api.base import OrgViewSet
from perfmgmt.api.schema import COMMON_PARAMETERS, GET_ERRORS, WRITE_ERRORS

from .. import policies
from ..exports import RESULTS_EXPORT
from ..models import Participant, ReviewAnswer, ReviewCycle
from ..selectors import progress as selectors
from ..serializers.release import (
    AnswerCorrectionSerializer,
    CycleProgressSerializer,
    CycleReleasedSerializer,
    ParticipantReleaseSerializer,
    ReviewAnswerSerializer,
    ReviewCommentSerializer,
)
from ..services import release as services

READ, WRITE = policies.READ_SCOPE, policies.WRITE_SCOPE
# The progress answer names at most this many managers (those first by name).
MANAGER_LIMIT = 200
_COMMON: dict[str, Any] = {"parameters": COMMON_PARAMETERS, "tags": ["review release"]}
FILE_FORMAT = OpenApiParameter("file_format", str, enum=list(exports.FILE_FORMATS), required=False)


def _completion(row: selectors.Completion) -> dict[str, object]:
    return {"name": row.label, "total": row.total, **row.counts}


class CycleResultsViewSet(OrgViewSet):
    model = ReviewCycle
    serializer_class = CycleProgressSerializer
    lookup_url_kwarg = "cycle_id"
    filter_backends: list[Any] = []
    required_scopes = {"release": WRITE, "progress": READ, "export": READ}

    @extend_schema(
        summary="Release a cycle's submitted manager reviews",
        description="HR (or keys with `reviews:write`), while the release phase is open.",
        request=None,
        responses={200: CycleReleasedSerializer, **WRITE_ERRORS},
        **_COMMON,
    )
    @action(detail=True, methods=["post"])
    def release(self, request: Request, org_slug: str, cycle_id: str) -> Response:
        cycle = selectors.cycle_get(cycle_id=self.object_id())
        released = services.cycle_release(actor=self.actor, cycle=cycle)
        return Response({"released": released})

    @extend_schema(
        summary="A cycle's completion, by team and by manager",
        responses={200: CycleProgressSerializer, **GET_ERRORS},
        **_COMMON,
    )
    @action(detail=True, methods=["get"])
    def progress(self, request: Request, org_slug: str, cycle_id: str) -> Response:
        cycle = selectors.progress_cycle_get(actor=self.actor, cycle_id=self.object_id())
        progress = selectors.cycle_progress(cycle=cycle, no_team="")
        managers = selectors.manager_completion(cycle=cycle)[:MANAGER_LIMIT]
        data = {
            "overall": _completion(progress.overall),
            "by_team": [_completion(row) for row in progress.by_team],
            "by_manager": [
                _completion(selectors.manager_row(row, no_manager="")) for row in managers
            ],
            "late": selectors.late_reviews(cycle=cycle, now=timezone.now()).count(),
        }
        return Response(CycleProgressSerializer(data).data)

    @extend_schema(
        summary="A cycle's results as CSV or XLSX (audited)",
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV"),
            (200, exports.XLSX_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="XLSX"),
            **GET_ERRORS,
        },
        parameters=[*COMMON_PARAMETERS, FILE_FORMAT],
        tags=_COMMON["tags"],
    )
    @action(detail=True, methods=["get"])
    def export(self, request: Request, org_slug: str, cycle_id: str) -> HttpResponseBase:
        cycle = selectors.progress_cycle_get(actor=self.actor, cycle_id=self.object_id())
        data = {"cycle": cycle.pk, "file_format": request.query_params.get("file_format", "csv")}
        form = exports.export_form(RESULTS_EXPORT, actor=self.actor, data=data)
        if not form.is_valid():
            raise exports.form_error(form)
        return exports.export_answer(
            RESULTS_EXPORT, actor=self.actor, form=form, organization=self.organization
        )


class ParticipantResultsViewSet(OrgViewSet):
    model = Participant
    serializer_class = ParticipantReleaseSerializer
    lookup_url_kwarg = "participant_id"
    filter_backends: list[Any] = []
    required_scopes = {"retrieve": READ, "release": WRITE}

    def _participant(self) -> Participant:
        return selectors.participant_get(actor=self.actor, participant_id=self.object_id())

    @extend_schema(
        summary="A participant's release and acknowledgement",
        responses={200: ParticipantReleaseSerializer, **GET_ERRORS},
        **_COMMON,
    )
    def retrieve(self, request: Request, org_slug: str, participant_id: str) -> Response:
        return self.present(self._participant())

    @extend_schema(
        summary="Release one participant's manager review",
        request=None,
        responses={200: ParticipantReleaseSerializer, **WRITE_ERRORS},
        **_COMMON,
    )
    @action(detail=True, methods=["post"])
    def release(self, request: Request, org_slug: str, participant_id: str) -> Response:
        participant = selectors.participant_get_for_release(participant_id=self.object_id())
        return self.present(services.participant_release(actor=self.actor, participant=participant))


class AcknowledgementViewSet(OrgViewSet):
    model = Participant
    serializer_class = ParticipantReleaseSerializer
    lookup_url_kwarg = "participant_id"
    filter_backends: list[Any] = []
    people_only = "Only the person reviewed comments and acknowledges."

    def _participant(self) -> Participant:
        return self.visible(
            lambda: selectors.participant_get_for_release(participant_id=self.object_id()),
            lambda person: selectors.participant_get(actor=person, participant_id=self.object_id()),
        )

    @extend_schema(
        summary="Comment on one's released review",
        request=ReviewCommentSerializer,
        responses={200: ParticipantReleaseSerializer, **WRITE_ERRORS},
        **_COMMON,
    )
    @action(detail=True, methods=["post"])
    def comment(self, request: Request, org_slug: str, participant_id: str) -> Response:
        participant = self._participant()
        data = self.parse(ReviewCommentSerializer)
        return self.present(
            services.review_comment(actor=self.actor, participant=participant, text=data["text"])
        )

    @extend_schema(
        summary="Acknowledge one's released review",
        description="An agreement on what happens next, not on the rating. Idempotent.",
        request=None,
        responses={200: ParticipantReleaseSerializer, **WRITE_ERRORS},
        **_COMMON,
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, org_slug: str, participant_id: str) -> Response:
        participant = self._participant()
        return self.present(
            services.review_acknowledge(actor=self.actor, participant=participant),
            status.HTTP_200_OK,
        )


class AnswerCorrectionViewSet(OrgViewSet):
    model = ReviewAnswer
    serializer_class = ReviewAnswerSerializer
    lookup_url_kwarg = "answer_id"
    filter_backends: list[Any] = []
    required_scopes = {"correct": WRITE}

    @extend_schema(
        summary="Correct an answer of a released review",
        description="HR (or keys with `reviews:write`), with a reason; audited, the reviewee "
        "is told.",
        request=AnswerCorrectionSerializer,
        responses={200: ReviewAnswerSerializer, **WRITE_ERRORS},
        **_COMMON,
    )
    @action(detail=True, methods=["post"])
    def correct(self, request: Request, org_slug: str, answer_id: str) -> Response:
        answer = selectors.answer_get_for_correction(answer_id=self.object_id())
        data = self.parse(AnswerCorrectionSerializer)
        correction = services.Correction(
            rating=data.get("rating"),
            not_applicable=data.get("not_applicable", False),
            text=data.get("text", ""),
        )
        corrected = services.answer_correct(
            actor=self.actor, answer=answer, correction=correction, reason=data["reason"]
        )
        return self.present(corrected)
