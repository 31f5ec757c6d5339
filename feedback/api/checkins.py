"""Check-ins over the REST API: /api/v1/orgs/<org_slug>/checkins/ (+ review).

A person starts, fills in and submits their own check-in; their manager chain reads it and
the manager replies and marks it reviewed.
"""

from __future__ import annotations

from typing import Any

import django_filters
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet
from perfmgmt.api.filters import IdFilter

from .. import selectors, services
from ..models import CheckIn, CheckInStatus
from ..serializers import (
    CHECKIN_JSON,
    CheckInReviewSerializer,
    CheckInSerializer,
    CheckInWriteSerializer,
)
from ._schema import PERSONAL, _schema


class CheckInFilter(django_filters.FilterSet):
    person = IdFilter(field_name="person_id", help_text="Whose check-ins.")
    status = django_filters.ChoiceFilter(choices=CheckInStatus.choices)
    period_from = django_filters.DateFilter(
        field_name="period_end", lookup_expr="gte", help_text="Periods ending on or after."
    )
    period_to = django_filters.DateFilter(
        field_name="period_start", lookup_expr="lte", help_text="Periods starting on or before."
    )
    waiting_for_review = django_filters.BooleanFilter(
        help_text="Only submitted, unreviewed check-ins of others."
    )

    class Meta:
        model = CheckIn
        fields = ["person", "status", "period_from", "period_to", "waiting_for_review"]


@_schema(
    "check-ins",
    CheckInSerializer,
    create=dict(
        summary="Start (or continue) my check-in for the current period",
        description=(
            "Returns the caller's check-in covering today (201 when it was just started), "
            "with the answers and score sent applied. `submit: true` sends it to the manager."
        ),
        request=CheckInWriteSerializer,
        responses={200: CheckInSerializer, 201: CheckInSerializer},
    ),
    partial_update=dict(
        summary="Change my check-in (until it is reviewed)", request=CheckInWriteSerializer
    ),
    review=dict(
        summary="Reply to a report's check-in and mark it reviewed",
        request=CheckInReviewSerializer,
    ),
)
class CheckInViewSet(OrgViewSet):
    model = CheckIn
    people_only = PERSONAL
    serializer_class = CheckInSerializer
    filterset_class = CheckInFilter
    lookup_url_kwarg = "checkin_id"

    def _get(self, checkin_id: str) -> CheckIn:
        return self.visible(
            lambda: selectors.checkin_lookup(checkin_id=checkin_id),
            lambda person: selectors.checkin_get(actor=person, checkin_id=checkin_id),
        )

    def list(self, request: Request, org_slug: str) -> Response:
        rows = selectors.checkin_rows(actor=self.person(), **self.filter_arguments())
        return self.page(rows, rows=CHECKIN_JSON)

    def retrieve(self, request: Request, org_slug: str, checkin_id: str) -> Response:
        return self.present(self._get(checkin_id))

    def _write(self, checkin: CheckIn, data: dict[str, Any]) -> CheckIn:
        person = self.person()
        answers, submit = data.get("answers"), data.get("submit", False)
        has_score = "score" in data
        if submit:
            return services.checkin_submit(
                actor=person, checkin=checkin, answers=answers, score=data.get("score")
            )
        if answers is not None or has_score:
            return services.checkin_update(
                actor=person,
                checkin=checkin,
                answers=answers,
                score=data.get("score"),
                clear_score=has_score and data["score"] is None,
            )
        return checkin

    def _answer(self, checkin: CheckIn, code: int = status.HTTP_200_OK) -> Response:
        """A changed check-in, read again as a read answers it (with its readable goals)."""
        fresh = selectors.checkin_get(actor=self.person(), checkin_id=checkin.pk)
        return self.present(fresh, code)

    def create(self, request: Request, org_slug: str) -> Response:
        person = self.person()
        data = self.parse(CheckInWriteSerializer)
        today = selectors.local_today(person.organization)
        existed = selectors.checkin_covering(person=person, day=today) is not None
        checkin = self._write(services.checkin_current(actor=person), data)
        return self._answer(checkin, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    def partial_update(self, request: Request, org_slug: str, checkin_id: str) -> Response:
        checkin = self._get(checkin_id)
        return self._answer(self._write(checkin, self.parse(CheckInWriteSerializer, partial=True)))

    @action(detail=True, methods=["post"])
    def review(self, request: Request, org_slug: str, checkin_id: str) -> Response:
        checkin = self._get(checkin_id)
        data = self.parse(CheckInReviewSerializer)
        return self._answer(
            services.checkin_review(actor=self.person(), checkin=checkin, reply=data["reply"])
        )
