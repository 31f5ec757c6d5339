"""People sync over the API: POST /api/v1/orgs/<org_slug>/people/sync/ (JSON or CSV) and
GET /api/v1/orgs/<org_slug>/people/sync/jobs/<job_id>/ for batches run as a job.

Thin: parse, call one service, answer what it returns.
"""

from __future__ import annotations

import json
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet
from perfmgmt.api.models import Scope
from perfmgmt.api.schema import ORG_SLUG_PARAMETER, error_responses
from perfmgmt.errors import DomainError
from perfmgmt.tenancy.models import Membership

from .models import SyncJob
from .parsers import CSVParser, SyncJSONParser
from .serializers import SyncOptionsSerializer, SyncRequestSerializer
from .services.requests import body_hash, job_state, people_sync_request, sync_job_get

IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Replays of the same key and body get the first answer (24 hours).",
)
MAX_KEY_LENGTH = 200


def _canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode()


class PeopleSyncViewSet(OrgViewSet):
    model = Membership  # what a sync writes (schema only)
    parser_classes = [SyncJSONParser, CSVParser]
    required_scopes = {"create": Scope.PEOPLE_SYNC}

    @extend_schema(
        summary="Sync people in bulk",
        description=(
            "Upserts up to 50,000 people by `external_id` (JSON, or the same columns as CSV "
            "with the options as query parameters). Above a threshold the batch runs as a "
            "job: 202 with its URL."
        ),
        tags=["people sync"],
        parameters=[ORG_SLUG_PARAMETER, IDEMPOTENCY_KEY_PARAMETER],
        request=SyncRequestSerializer,
        responses={200: dict, 202: dict, **error_responses(400, 401, 403, 404, 429)},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > MAX_KEY_LENGTH:
            return self._key_too_long()
        data: Any = request.data
        if request.content_type.startswith(CSVParser.media_type):
            options = SyncOptionsSerializer(data=request.query_params.dict())
            options.is_valid(raise_exception=True)
            data = {"people": data["people"], **options.validated_data}
        serializer = SyncRequestSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        parsed = dict(serializer.validated_data)
        people = parsed.pop("people")
        organization_slug = self.organization.slug
        answer = people_sync_request(
            actor=self.actor,
            people=people,
            options=parsed,
            idempotency_key=key,
            request_hash=body_hash(_canonical(people), _canonical(parsed)),
            job_url=lambda job_id: reverse(
                "api:people-sync-job-detail",
                kwargs={"org_slug": organization_slug, "job_id": job_id},
            ),
        )
        response = Response(answer.body, status=answer.status)
        if answer.replayed:
            response["Idempotent-Replayed"] = "true"
        return response

    def _key_too_long(self) -> Response:
        message = _("At most %(count)d characters.") % {"count": MAX_KEY_LENGTH}
        raise DomainError(message, fields={"Idempotency-Key": [message]})


class PeopleSyncJobViewSet(OrgViewSet):
    model = SyncJob
    lookup_url_kwarg = "job_id"
    required_scopes = {"retrieve": Scope.PEOPLE_SYNC}

    @extend_schema(
        summary="A people sync job",
        description="Its status, progress and, once finished, the result of the sync.",
        tags=["people sync"],
        parameters=[ORG_SLUG_PARAMETER],
        responses={200: dict, **error_responses(401, 403, 404, 429)},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        job = sync_job_get(actor=self.actor, job_id=self.object_id())
        slug = self.organization.slug
        return Response(
            job_state(
                job,
                lambda job_id: reverse(
                    "api:people-sync-job-detail", kwargs={"org_slug": slug, "job_id": job_id}
                ),
            )
        )
