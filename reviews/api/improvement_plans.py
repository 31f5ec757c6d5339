"""Improvement plans over the API: list and read what the caller may read (the same
selector as the pages: keys with `reviews:read` read every plan); people draft, edit,
submit, approve or send back, acknowledge and record outcomes. An API key cannot take a
step of the workflow (403 after the lookup, so another organization's id stays a 404).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet
from perfmgmt.api.filters import IdFilter, SelectorFilterBackend, parsed_filters
from perfmgmt.api.schema import COMMON_PARAMETERS, GET_ERRORS, LIST_ERRORS, WRITE_ERRORS
from perfmgmt.tenancy.models import Membership

from .. import policies
from ..models import ImprovementPlan, PlanStatus
from ..selectors import improvement_plans as selectors
from ..serializers.improvement_plans import (
    ImprovementPlanCreateSerializer,
    ImprovementPlanSerializer,
    ImprovementPlanWriteSerializer,
    PlanAcknowledgeSerializer,
    PlanOutcomeWriteSerializer,
    PlanReturnSerializer,
)
from ..services.improvement_plans import decisions, drafting
from ..services.improvement_plans.common import ExpectationInput, PlanInput

READ, WRITE = policies.READ_SCOPE, policies.WRITE_SCOPE
_COMMON: dict[str, Any] = {"parameters": COMMON_PARAMETERS, "tags": ["improvement plans"]}


def _write(summary: str, request: Any, description: str = "") -> Any:
    return extend_schema(
        summary=summary,
        description=description or "People only.",
        request=request,
        responses={200: ImprovementPlanSerializer, **WRITE_ERRORS},
        **_COMMON,
    )


class ImprovementPlanFilter(django_filters.FilterSet):
    person = IdFilter(help_text="Plans about this person (a member id).")
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices)

    class Meta:
        model = ImprovementPlan
        fields: list[str] = []


def _plan_input(data: dict[str, Any]) -> PlanInput:
    return PlanInput(
        start_date=data["start_date"],
        end_date=data["end_date"],
        reason=data["reason"],
        support=data["support"],
        expectations=[
            ExpectationInput(item["description"], item["measure"], item.get("goal"))
            for item in data["expectations"]
        ],
        review_dates=list(data.get("review_dates", [])),
    )


@extend_schema_view(
    list=extend_schema(
        summary="List improvement plans",
        description="The plans you may read: your own once approved, those of people below "
        "you, all for HR and keys with `reviews:read`.",
        responses={200: ImprovementPlanSerializer(many=True), **LIST_ERRORS},
        **_COMMON,
    ),
    retrieve=extend_schema(
        summary="Get an improvement plan",
        responses={200: ImprovementPlanSerializer, **GET_ERRORS},
        **_COMMON,
    ),
    create=extend_schema(
        summary="Draft an improvement plan",
        description="For someone below you in the reporting line. People only.",
        request=ImprovementPlanCreateSerializer,
        responses={201: ImprovementPlanSerializer, **WRITE_ERRORS},
        **_COMMON,
    ),
    update=_write("Replace a draft's contents", ImprovementPlanWriteSerializer),
    submit=_write("Submit a draft to HR", None),
    approve=_write("Approve a submitted plan", None, "HR, not about themselves. People only."),
    send_back=_write("Send a submitted plan back", PlanReturnSerializer),
    acknowledge=_write("Acknowledge your plan", PlanAcknowledgeSerializer),
    outcome=_write("Record the outcome", PlanOutcomeWriteSerializer),
)
class ImprovementPlanViewSet(OrgViewSet):
    model = ImprovementPlan
    serializer_class = ImprovementPlanSerializer
    lookup_url_kwarg = "improvement_plan_id"
    filterset_class = ImprovementPlanFilter
    filter_backends = [SelectorFilterBackend]
    http_method_names = ["get", "post", "put", "head", "options"]
    required_scopes = {
        "list": READ,
        "retrieve": READ,
        "create": WRITE,
        "update": WRITE,
        "submit": WRITE,
        "approve": WRITE,
        "send_back": WRITE,
        "acknowledge": WRITE,
        "outcome": WRITE,
    }

    def get_queryset(self) -> QuerySet[ImprovementPlan]:
        filters = parsed_filters(ImprovementPlanFilter, self.request)
        plans = selectors.improvement_plan_detail_list(actor=self.actor)
        if filters.get("person"):
            plans = plans.filter(person_id=filters["person"])
        if filters.get("status"):
            plans = plans.filter(status=filters["status"])
        return plans

    def _plan(self) -> ImprovementPlan:
        return selectors.improvement_plan_get(actor=self.actor, plan_id=self.object_id())

    def _caller(self) -> Membership:
        """The calling person: a key reads plans (with `reviews:read`) but takes no step."""
        if self.actor.is_api_client:
            raise PermissionDenied(_("An API key cannot take a step of a plan; a person does."))
        return self.actor  # type: ignore[return-value]

    def _plan_and_person(self) -> tuple[ImprovementPlan, Membership]:
        """The plan (404 first, also for another organization's id), then the caller as a
        person (403 for an API key)."""
        plan = self._plan()
        return plan, self._caller()

    def _answer(self, plan: ImprovementPlan, code: int = status.HTTP_200_OK) -> Response:
        return self.present(
            selectors.improvement_plan_get(actor=self.actor, plan_id=plan.pk), status=code
        )

    def list(self, request: Request, org_slug: str) -> Response:
        return self.page(self.get_queryset())

    def retrieve(self, request: Request, org_slug: str, improvement_plan_id: str) -> Response:
        return self.present(self._plan())

    def create(self, request: Request, org_slug: str) -> Response:
        person = self._caller()
        data = self.parse(ImprovementPlanCreateSerializer)
        plan = drafting.improvement_plan_create(
            actor=person, person=data["person"], data=_plan_input(data)
        )
        return self._answer(plan, status.HTTP_201_CREATED)

    def update(self, request: Request, org_slug: str, improvement_plan_id: str) -> Response:
        plan, person = self._plan_and_person()
        data = self.parse(ImprovementPlanWriteSerializer)
        plan = drafting.improvement_plan_update(actor=person, plan=plan, data=_plan_input(data))
        return self._answer(plan)

    def _step(self, step: Any) -> Response:
        plan, person = self._plan_and_person()
        return self._answer(step(person, plan))

    @action(detail=True, methods=["post"])
    def submit(self, request: Request, org_slug: str, improvement_plan_id: str) -> Response:
        return self._step(
            lambda person, plan: drafting.improvement_plan_submit(actor=person, plan=plan)
        )

    @action(detail=True, methods=["post"])
    def approve(self, request: Request, org_slug: str, improvement_plan_id: str) -> Response:
        return self._step(
            lambda person, plan: decisions.improvement_plan_approve(actor=person, plan=plan)
        )

    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request: Request, org_slug: str, improvement_plan_id: str) -> Response:
        plan, person = self._plan_and_person()
        data = self.parse(PlanReturnSerializer)
        plan = decisions.improvement_plan_return(actor=person, plan=plan, reason=data["reason"])
        return self._answer(plan)

    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, org_slug: str, improvement_plan_id: str) -> Response:
        plan, person = self._plan_and_person()
        data = self.parse(PlanAcknowledgeSerializer)
        plan = decisions.improvement_plan_acknowledge(
            actor=person, plan=plan, comment=data["comment"]
        )
        return self._answer(plan)

    @action(detail=True, methods=["post"])
    def outcome(self, request: Request, org_slug: str, improvement_plan_id: str) -> Response:
        plan, person = self._plan_and_person()
        data = self.parse(PlanOutcomeWriteSerializer)
        plan = decisions.improvement_plan_record_outcome(
            actor=person, plan=plan, data=decisions.OutcomeInput(**data)
        )
        return self._answer(plan)
