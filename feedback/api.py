"""Check-ins, feedback, feedback requests and coaching records over the REST API.

/api/v1/orgs/<org_slug>/checkins/, feedback/, feedback-requests/, coaching-records/.
Thin: parse input, call one selector or service, serialize. What a person sees is decided by
`feedback/selectors.py` + `policies.py`, shared with the pages; an object the caller may not
see is a 404, exactly like another organization's. This is personal data: API keys
(systems) get 403 on every call here, after the object lookup (so a foreign id stays 404).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import django_filters
from django.db.models import Model, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet
from perfmgmt.api.schema import ORG_SLUG_PARAMETER, RETRY_AFTER_HEADER, error_responses
from perfmgmt.tenancy.api import IdFilter
from perfmgmt.tenancy.models import Membership

from . import selectors, services
from .models import (
    CheckIn,
    CheckInStatus,
    CoachingRecord,
    Feedback,
    FeedbackAsk,
    FeedbackRequest,
    FeedbackVisibility,
)
from .serializers import (
    CheckInReviewSerializer,
    CheckInSerializer,
    CheckInWriteSerializer,
    CoachingRecordCreateSerializer,
    CoachingRecordSerializer,
    CoachingRecordUpdateSerializer,
    FeedbackAnswerSerializer,
    FeedbackCreateSerializer,
    FeedbackDeclineSerializer,
    FeedbackRequestCreateSerializer,
    FeedbackRequestSerializer,
    FeedbackRequestUpdateSerializer,
    FeedbackSerializer,
    FeedbackUpdateSerializer,
)

ModelT = TypeVar("ModelT", bound=Model)
PERSONAL = "Check-ins, feedback and coaching records are personal; API keys cannot use them."


def _schema(tag: str, serializer: Any, **actions: dict[str, Any]) -> Any:
    common: dict[str, Any] = {"tags": [tag], "parameters": [ORG_SLUG_PARAMETER, RETRY_AFTER_HEADER]}
    views = {
        "list": extend_schema(
            **common,
            responses={200: serializer(many=True), **error_responses(400, 401, 403, 404, 429)},
        ),
        "retrieve": extend_schema(
            **common, responses={200: serializer, **error_responses(401, 403, 404, 429)}
        ),
    }
    for name, options in actions.items():
        options.setdefault("responses", {200: serializer})
        options["responses"].update(error_responses(400, 401, 403, 404, 409, 429))
        views[name] = extend_schema(**common, **options)
    return extend_schema_view(**views)


class PersonalViewSet(OrgViewSet):
    """Base: people only, JSON in, cursor-paginated lists, objects looked up before refusing."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    filter_backends = [DjangoFilterBackend]

    def person(self) -> Membership:
        if self.actor.is_api_client:
            raise PermissionDenied(PERSONAL)
        return self.actor  # type: ignore[return-value]

    def visible(self, lookup: Callable[[], ModelT], get: Callable[[Membership], ModelT]) -> ModelT:
        """404 for ids of other organizations (before anything else), 403 for API keys,
        404 for what the person may not see."""
        lookup()
        return get(self.person())

    def parse(self, serializer_class: Any, partial: bool = False) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def page(self, queryset: QuerySet[Any], serializer_class: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(queryset))
        data = serializer_class(page, many=True, context={"actor": self.actor}).data
        return self.get_paginated_response(data)


# Check-ins -----------------------------------------------------------------------------


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
        method="filter_waiting", help_text="Only submitted, unreviewed check-ins of others."
    )

    class Meta:
        model = CheckIn
        fields = ["person", "status", "period_from", "period_to", "waiting_for_review"]

    def filter_waiting(
        self, queryset: QuerySet[CheckIn], name: str, value: bool | None
    ) -> QuerySet[CheckIn]:
        if not value:
            return queryset
        actor = self.request.parser_context["view"].actor  # type: ignore[union-attr]
        return queryset.filter(status=CheckInStatus.SUBMITTED).exclude(person_id=actor.pk)


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
class CheckInViewSet(PersonalViewSet):
    queryset = CheckIn.unscoped.none()  # schema only; requests use the selectors
    serializer_class = CheckInSerializer
    filterset_class = CheckInFilter
    lookup_url_kwarg = "checkin_id"

    def _get(self, checkin_id: str) -> CheckIn:
        return self.visible(
            lambda: selectors.checkin_lookup(checkin_id=checkin_id),
            lambda person: selectors.checkin_get(actor=person, checkin_id=checkin_id),
        )

    def _present(self, checkin: CheckIn, code: int = status.HTTP_200_OK) -> Response:
        data = CheckInSerializer(checkin, context={"actor": self.actor}).data
        return Response(data, status=code)

    def list(self, request: Request, org_slug: str) -> Response:
        return self.page(selectors.checkin_list(actor=self.person()), CheckInSerializer)

    def retrieve(self, request: Request, org_slug: str, checkin_id: str) -> Response:
        return self._present(self._get(checkin_id))

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

    def create(self, request: Request, org_slug: str) -> Response:
        person = self.person()
        data = self.parse(CheckInWriteSerializer)
        today = selectors.local_today(person.organization)
        existed = selectors.checkin_covering(person=person, day=today) is not None
        checkin = self._write(services.checkin_current(actor=person), data)
        code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return self._present(checkin, code)

    def partial_update(self, request: Request, org_slug: str, checkin_id: str) -> Response:
        checkin = self._get(checkin_id)
        return self._present(self._write(checkin, self.parse(CheckInWriteSerializer, True)))

    @action(detail=True, methods=["post"])
    def review(self, request: Request, org_slug: str, checkin_id: str) -> Response:
        checkin = self._get(checkin_id)
        data = self.parse(CheckInReviewSerializer)
        return self._present(
            services.checkin_review(actor=self.person(), checkin=checkin, reply=data["reply"])
        )


# Feedback ------------------------------------------------------------------------------


class FeedbackFilter(django_filters.FilterSet):
    direction = django_filters.ChoiceFilter(
        method="filter_direction",
        choices=[(d, d) for d in selectors.FEEDBACK_DIRECTIONS],
        help_text="received (for me), given (by me), team (about people below me), all.",
    )
    recipient = IdFilter(field_name="recipient_id", help_text="About this person.")
    giver = IdFilter(field_name="giver_id", help_text="Given by this person.")
    visibility = django_filters.ChoiceFilter(choices=FeedbackVisibility.choices)
    since = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")

    class Meta:
        model = Feedback
        fields = ["direction", "recipient", "giver", "visibility", "since"]

    def filter_direction(
        self, queryset: QuerySet[Feedback], name: str, value: str
    ) -> QuerySet[Feedback]:
        actor = self.request.parser_context["view"].actor  # type: ignore[union-attr]
        if value == "received":
            return queryset.filter(recipient_id=actor.pk)
        if value == "given":
            return queryset.filter(giver_id=actor.pk)
        if value == "team":
            return queryset.exclude(recipient_id=actor.pk).exclude(giver_id=actor.pk)
        return queryset


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
class FeedbackViewSet(PersonalViewSet):
    queryset = Feedback.unscoped.none()
    serializer_class = FeedbackSerializer
    filterset_class = FeedbackFilter
    lookup_url_kwarg = "feedback_id"

    def _get(self, feedback_id: str) -> Feedback:
        return self.visible(
            lambda: selectors.feedback_lookup(feedback_id=feedback_id),
            lambda person: selectors.feedback_get(actor=person, feedback_id=feedback_id),
        )

    def list(self, request: Request, org_slug: str) -> Response:
        return self.page(selectors.feedback_list(actor=self.person()), FeedbackSerializer)

    def retrieve(self, request: Request, org_slug: str, feedback_id: str) -> Response:
        return Response(FeedbackSerializer(self._get(feedback_id)).data)

    def create(self, request: Request, org_slug: str) -> Response:
        person = self.person()
        feedback = services.feedback_give(actor=person, **self.parse(FeedbackCreateSerializer))
        feedback = selectors.feedback_get(actor=person, feedback_id=feedback.pk)
        return Response(FeedbackSerializer(feedback).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, org_slug: str, feedback_id: str) -> Response:
        feedback = self._get(feedback_id)
        data = self.parse(FeedbackUpdateSerializer, partial=True)
        feedback = services.feedback_update(actor=self.person(), feedback=feedback, **data)
        return Response(FeedbackSerializer(feedback).data)


# Feedback requests ---------------------------------------------------------------------


class FeedbackRequestFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(
        method="filter_role",
        choices=[("made", "made"), ("asked", "asked")],
        help_text="made: requests I made; asked: requests I was asked to answer.",
    )
    status = django_filters.ChoiceFilter(
        method="filter_status",
        choices=FeedbackAsk.Status.choices,
        help_text="The status of my own answer (for requests I was asked in).",
    )
    subject = IdFilter(field_name="subject_id", help_text="About this person.")

    class Meta:
        model = FeedbackRequest
        fields = ["role", "status", "subject"]

    def _actor_id(self) -> int:
        return int(self.request.parser_context["view"].actor.pk)  # type: ignore[union-attr]

    def filter_role(
        self, queryset: QuerySet[FeedbackRequest], name: str, value: str
    ) -> QuerySet[FeedbackRequest]:
        if value == "made":
            return queryset.filter(requester_id=self._actor_id())
        return queryset.filter(asks__person_id=self._actor_id()).distinct()

    def filter_status(
        self, queryset: QuerySet[FeedbackRequest], name: str, value: str
    ) -> QuerySet[FeedbackRequest]:
        return queryset.filter(asks__person_id=self._actor_id(), asks__status=value).distinct()


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
class FeedbackRequestViewSet(PersonalViewSet):
    queryset = FeedbackRequest.unscoped.none()
    serializer_class = FeedbackRequestSerializer
    filterset_class = FeedbackRequestFilter
    lookup_url_kwarg = "feedback_request_id"

    def _get(self, request_id: str) -> FeedbackRequest:
        return self.visible(
            lambda: selectors.feedback_request_lookup(request_id=request_id),
            lambda person: selectors.feedback_request_get(actor=person, request_id=request_id),
        )

    def _present(self, request: FeedbackRequest, code: int = status.HTTP_200_OK) -> Response:
        data = FeedbackRequestSerializer(request, context={"actor": self.actor}).data
        return Response(data, status=code)

    def list(self, request: Request, org_slug: str) -> Response:
        requests = selectors.feedback_request_list(actor=self.person())
        return self.page(requests, FeedbackRequestSerializer)

    def retrieve(self, request: Request, org_slug: str, feedback_request_id: str) -> Response:
        return self._present(self._get(feedback_request_id))

    def create(self, request: Request, org_slug: str) -> Response:
        person = self.person()
        data = self.parse(FeedbackRequestCreateSerializer)
        data["subject"] = data.get("subject") or person
        created = services.feedback_request_create(actor=person, **data)
        return self._present(created, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, org_slug: str, feedback_request_id: str) -> Response:
        feedback_request = self._get(feedback_request_id)
        data = self.parse(FeedbackRequestUpdateSerializer, partial=True)
        return self._present(
            services.feedback_request_update(actor=self.person(), request=feedback_request, **data)
        )

    @action(detail=True, methods=["post"])
    def answer(self, request: Request, org_slug: str, feedback_request_id: str) -> Response:
        feedback_request = self._get(feedback_request_id)
        feedback = services.feedback_request_answer(
            actor=self.person(), request=feedback_request, **self.parse(FeedbackAnswerSerializer)
        )
        return Response(FeedbackSerializer(feedback).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def decline(self, request: Request, org_slug: str, feedback_request_id: str) -> Response:
        feedback_request = self._get(feedback_request_id)
        data = self.parse(FeedbackDeclineSerializer)
        services.feedback_request_decline(
            actor=self.person(), request=feedback_request, reason=data["reason"]
        )
        return self._present(self._get(feedback_request_id))


# Coaching records ----------------------------------------------------------------------


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
class CoachingRecordViewSet(PersonalViewSet):
    queryset = CoachingRecord.unscoped.none()
    serializer_class = CoachingRecordSerializer
    filterset_class = CoachingRecordFilter
    lookup_url_kwarg = "coaching_record_id"

    def _get(self, record_id: str) -> CoachingRecord:
        return self.visible(
            lambda: selectors.coaching_record_lookup(record_id=record_id),
            lambda person: selectors.coaching_record_get(actor=person, record_id=record_id),
        )

    def list(self, request: Request, org_slug: str) -> Response:
        return self.page(
            selectors.coaching_record_list(actor=self.person()), CoachingRecordSerializer
        )

    def retrieve(self, request: Request, org_slug: str, coaching_record_id: str) -> Response:
        return Response(CoachingRecordSerializer(self._get(coaching_record_id)).data)

    def create(self, request: Request, org_slug: str) -> Response:
        record = services.coaching_record_create(
            actor=self.person(), **self.parse(CoachingRecordCreateSerializer)
        )
        return Response(CoachingRecordSerializer(record).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, org_slug: str, coaching_record_id: str) -> Response:
        record = self._get(coaching_record_id)
        data = self.parse(CoachingRecordUpdateSerializer, partial=True)
        record = services.coaching_record_update(actor=self.person(), record=record, **data)
        return Response(CoachingRecordSerializer(record).data)
