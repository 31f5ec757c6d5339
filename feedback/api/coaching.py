"""Coaching records over the REST API: /api/v1/orgs/<org_slug>/coaching-records/.

A manager records a coaching conversation with someone in their chain and may change it
later; the person, their manager chain and the record's author read it.
"""

from __future__ import annotations

import django_filters
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet
from perfmgmt.api.filters import IdFilter

from .. import selectors, services
from ..models import CoachingRecord
from ..serializers import (
    CoachingRecordCreateSerializer,
    CoachingRecordSerializer,
    CoachingRecordUpdateSerializer,
)
from ._schema import PERSONAL, _schema


class CoachingRecordFilter(django_filters.FilterSet):
    person = IdFilter(field_name="person_id", help_text="About this person.")
    follow_up_before = django_filters.DateFilter(
        field_name="follow_up_on", lookup_expr="lte", help_text="Follow-up on or before."
    )

    class Meta:
        model = CoachingRecord
        fields = ["person", "follow_up_before"]


@_schema(
    "coaching records",
    CoachingRecordSerializer,
    create=dict(
        summary="Record a coaching conversation with someone in my chain",
        request=CoachingRecordCreateSerializer,
        responses={201: CoachingRecordSerializer},
    ),
    partial_update=dict(
        summary="Change a coaching record I wrote", request=CoachingRecordUpdateSerializer
    ),
)
class CoachingRecordViewSet(OrgViewSet):
    model = CoachingRecord
    people_only = PERSONAL
    serializer_class = CoachingRecordSerializer
    filterset_class = CoachingRecordFilter
    lookup_url_kwarg = "coaching_record_id"

    def _get(self, record_id: str) -> CoachingRecord:
        return self.visible(
            lambda: selectors.coaching_record_lookup(record_id=record_id),
            lambda person: selectors.coaching_record_get(actor=person, record_id=record_id),
        )

    def list(self, request: Request, org_slug: str) -> Response:
        person = self.person()
        return self.page(
            selectors.coaching_record_list(actor=person, **self.filter_arguments()),
            shown=lambda page: services.manager_content_read(actor=person, coaching_records=page),
        )

    def retrieve(self, request: Request, org_slug: str, coaching_record_id: str) -> Response:
        record = self._get(coaching_record_id)
        services.manager_content_read(actor=self.person(), coaching_records=[record])
        return self.present(record)

    def create(self, request: Request, org_slug: str) -> Response:
        record = services.coaching_record_create(
            actor=self.person(), **self.parse(CoachingRecordCreateSerializer)
        )
        return self.present(record, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, org_slug: str, coaching_record_id: str) -> Response:
        record = self._get(coaching_record_id)
        data = self.parse(CoachingRecordUpdateSerializer, partial=True)
        record = services.coaching_record_update(actor=self.person(), record=record, **data)
        return self.present(record)
