"""Development plans, actions and the competency framework over the REST API.

    /api/v1/orgs/<org_slug>/development/plans/                 (+ submit, comment, agree,
                                                                close, objectives, competencies)
    /api/v1/orgs/<org_slug>/development/actions/
    /api/v1/orgs/<org_slug>/development/competencies/
    /api/v1/orgs/<org_slug>/development/competency-categories/

Thin: parse input, call one service or selector, serialize. A plan the caller may not read
is a 404, exactly like another organization's id.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet
from perfmgmt.api.models import Scope
from perfmgmt.api.permissions import HasRequiredScope
from perfmgmt.api.schema import ORG_SLUG_PARAMETER, RETRY_AFTER_HEADER, error_responses
from perfmgmt.errors import DomainError
from perfmgmt.tenancy.models import Membership

from . import policies, selectors, services
from .models import (
    ActionKind,
    ActionStatus,
    Competency,
    CompetencyCategory,
    CompetencyLevel,
    DevelopmentAction,
    DevelopmentObjective,
    DevelopmentPlan,
    PlanCompetency,
    PlanStatus,
)
from .serializers import (
    ACTION_STATUS_SCHEMA,
    PLAN_STATUS_SCHEMA,
    ActionCreateSerializer,
    ActionSerializer,
    ActionUpdateSerializer,
    CompetencyCategorySerializer,
    CompetencySerializer,
    CompetencyWriteSerializer,
    ObjectiveCreateSerializer,
    ObjectiveDetailSerializer,
    ObjectiveUpdateSerializer,
    PlanAgreeSerializer,
    PlanCommentSerializer,
    PlanCompetencyInputSerializer,
    PlanCompetencyRemoveSerializer,
    PlanCreateSerializer,
    PlanSerializer,
    PlanUpdateSerializer,
)

READ, WRITE = Scope.DEVELOPMENT_READ, Scope.DEVELOPMENT_WRITE
_COMMON: dict[str, Any] = {"parameters": [ORG_SLUG_PARAMETER, RETRY_AFTER_HEADER]}
_READ_ERRORS = error_responses(400, 401, 403, 404, 429)
_GET_ERRORS = error_responses(401, 403, 404, 429)
_WRITE_ERRORS = error_responses(400, 401, 403, 404, 409, 429)


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """A whole-number id (NumberFilter alone would accept 1.5)."""

    field_class = forms.IntegerField


@extend_schema_field(PLAN_STATUS_SCHEMA)
class PlanStatusFilter(django_filters.ChoiceFilter):
    """Documented inline: other resources also have an enum called `status`."""


@extend_schema_field(ACTION_STATUS_SCHEMA)
class ActionStatusFilter(django_filters.ChoiceFilter):
    pass


class PlanFilter(django_filters.FilterSet):
    person = IdFilter(field_name="person_id", help_text="Id of the person whose plan it is.")
    team = IdFilter(field_name="person__team_id", help_text="Team id of the person.")
    status = PlanStatusFilter(choices=PlanStatus.choices)
    period = django_filters.CharFilter(field_name="period", lookup_expr="iexact")
    ends_before = django_filters.DateFilter(field_name="period_end", lookup_expr="lte")
    ends_after = django_filters.DateFilter(field_name="period_end", lookup_expr="gte")

    class Meta:
        model = DevelopmentPlan
        fields = ["person", "team", "status", "period"]


class ActionFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="plan_id")
    owner = IdFilter(field_name="owner_id", help_text="Id of the person who owns the action.")
    person = IdFilter(field_name="plan__person_id", help_text="Id of the plan's person.")
    team = IdFilter(field_name="plan__person__team_id", help_text="Team id of the plan's person.")
    status = ActionStatusFilter(choices=ActionStatus.choices)
    kind = django_filters.ChoiceFilter(choices=ActionKind.choices)
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")

    class Meta:
        model = DevelopmentAction
        fields = ["plan", "owner", "person", "team", "status", "kind"]


class CompetencyFilter(django_filters.FilterSet):
    category = IdFilter(field_name="category_id")
    active = django_filters.BooleanFilter()
    search = django_filters.CharFilter(method="filter_search", help_text="Part of the name.")

    class Meta:
        model = Competency
        fields = ["category", "active"]

    def filter_search(
        self, queryset: QuerySet[Competency], name: str, value: str
    ) -> QuerySet[Competency]:
        return queryset.filter(name__icontains=value)


class _DevelopmentViewSet(OrgViewSet):
    permission_classes = [IsAuthenticated, HasRequiredScope]
    parser_classes = [JSONParser]

    def _object_id(self, kwargs: dict[str, str]) -> str:
        return kwargs[self.lookup_url_kwarg or "pk"]


# --- The competency framework -------------------------------------------------------------


def _framework_docs(noun: str, plural: str, read: type, write: type) -> Any:
    tags = ["competency framework"]
    return extend_schema_view(
        list=extend_schema(
            summary=f"List {plural}",
            description="Everyone in the organization may read the framework.",
            tags=tags,
            **_COMMON,
            responses={200: read(many=True), **_READ_ERRORS},
        ),
        retrieve=extend_schema(
            summary=f"Get a {noun}", tags=tags, **_COMMON, responses={200: read, **_GET_ERRORS}
        ),
        create=extend_schema(
            summary=f"Add a {noun}",
            description="HR admins and owners (or keys with `development:write`).",
            tags=tags,
            **_COMMON,
            request=write,
            responses={201: read, **_WRITE_ERRORS},
        ),
        partial_update=extend_schema(
            summary=f"Change a {noun}",
            description="Only the fields sent change.",
            tags=tags,
            **_COMMON,
            request=write,
            responses={200: read, **_WRITE_ERRORS},
        ),
    )


@_framework_docs(
    "competency category",
    "competency categories",
    CompetencyCategorySerializer,
    CompetencyCategorySerializer,
)
class CompetencyCategoryViewSet(_DevelopmentViewSet):
    queryset = CompetencyCategory.unscoped.none()
    serializer_class = CompetencyCategorySerializer
    lookup_url_kwarg = "category_id"
    filter_backends: list[Any] = []
    required_scopes = {"list": READ, "retrieve": READ, "create": WRITE, "partial_update": WRITE}

    def get_queryset(self) -> QuerySet[CompetencyCategory]:
        return selectors.competency_category_list()

    def _require_read(self) -> None:
        if not policies.can_view_framework(self.actor):
            raise PermissionDenied("You may not read the competency framework.")

    def _present(self, category: CompetencyCategory, code: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=category.pk)
        return Response(CompetencyCategorySerializer(fresh).data, status=code)

    def list(self, request: Request, org_slug: str) -> Response:
        self._require_read()
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(
            CompetencyCategorySerializer(page, many=True).data  # type: ignore[arg-type]
        )

    def retrieve(self, request: Request, org_slug: str, category_id: str) -> Response:
        self._require_read()
        return self._present(selectors.competency_category_get(category_id=category_id))

    def create(self, request: Request, org_slug: str) -> Response:
        serializer = CompetencyCategorySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        category = services.competency_category_create(
            actor=self.actor, **serializer.validated_data
        )
        return self._present(category, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, org_slug: str, category_id: str) -> Response:
        category = selectors.competency_category_get(category_id=category_id)
        serializer = CompetencyCategorySerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        category = services.competency_category_update(
            actor=self.actor, category=category, **serializer.validated_data
        )
        return self._present(category)


def _level_pairs(levels: list[dict[str, str]] | None) -> list[tuple[str, str]] | None:
    if levels is None:
        return None
    return [(level["name"], level["behaviour"]) for level in levels]


@_framework_docs("competency", "competencies", CompetencySerializer, CompetencyWriteSerializer)
class CompetencyViewSet(_DevelopmentViewSet):
    queryset = Competency.unscoped.none()
    serializer_class = CompetencySerializer
    lookup_url_kwarg = "competency_id"
    filterset_class = CompetencyFilter
    required_scopes = {"list": READ, "retrieve": READ, "create": WRITE, "partial_update": WRITE}

    def get_queryset(self) -> QuerySet[Competency]:
        return selectors.competency_list()

    def _require_read(self) -> None:
        if not policies.can_view_framework(self.actor):
            raise PermissionDenied("You may not read the competency framework.")

    def _present(self, competency: Competency, code: int = 200) -> Response:
        fresh = selectors.competency_get(competency_id=competency.pk)
        return Response(CompetencySerializer(fresh).data, status=code)

    def list(self, request: Request, org_slug: str) -> Response:
        self._require_read()
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(
            CompetencySerializer(page, many=True).data  # type: ignore[arg-type]
        )

    def retrieve(self, request: Request, org_slug: str, competency_id: str) -> Response:
        self._require_read()
        return self._present(selectors.competency_get(competency_id=competency_id))

    def create(self, request: Request, org_slug: str) -> Response:
        serializer = CompetencyWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        levels = _level_pairs(data.pop("levels", None)) or []
        active = data.pop("active")
        competency = services.competency_create(actor=self.actor, levels=levels, **data)
        if not active:
            competency = services.competency_update(
                actor=self.actor, competency=competency, active=False
            )
        return self._present(competency, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, org_slug: str, competency_id: str) -> Response:
        competency = selectors.competency_get(competency_id=competency_id)
        serializer = CompetencyWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        levels = _level_pairs(data.pop("levels", None))
        competency = services.competency_update(
            actor=self.actor, competency=competency, levels=levels, **data
        )
        return self._present(competency)


# --- Plans --------------------------------------------------------------------------------


def plan_api_queryset(actor: Any) -> QuerySet[DevelopmentPlan]:
    """Visible plans with everything the plan body shows, in a fixed number of queries."""
    return selectors.plan_list(actor=actor).prefetch_related(
        Prefetch(
            "objectives",
            queryset=DevelopmentObjective.objects.select_related("goal").order_by(
                "created_at", "id"
            ),
        ),
        Prefetch(
            "plan_competencies",
            queryset=PlanCompetency.objects.select_related("competency", "target_level"),
        ),
    )


_PLAN_TAGS = ["development plans"]


def _plan_action_docs(summary: str, description: str, request: Any) -> Any:
    return extend_schema(
        summary=summary,
        description=description,
        tags=_PLAN_TAGS,
        **_COMMON,
        request=request,
        responses={200: PlanSerializer, **_WRITE_ERRORS},
    )


@extend_schema_view(
    list=extend_schema(
        summary="List development plans",
        description=(
            "Plans the caller may read: their own, those of people below them in the "
            "reporting line, and (HR admins, keys with `development:read`) everyone's."
        ),
        tags=_PLAN_TAGS,
        **_COMMON,
        responses={200: PlanSerializer(many=True), **_READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Get a development plan",
        tags=_PLAN_TAGS,
        **_COMMON,
        responses={200: PlanSerializer, **_GET_ERRORS},
    ),
    create=extend_schema(
        summary="Start a development plan",
        description="A draft for one period; one plan per person and period (else 409).",
        tags=_PLAN_TAGS,
        **_COMMON,
        request=PlanCreateSerializer,
        responses={201: PlanSerializer, **_WRITE_ERRORS},
    ),
    partial_update=_plan_action_docs(
        "Change a development plan",
        "Period and aspiration; changing an agreed plan's period sends it back for agreement.",
        PlanUpdateSerializer,
    ),
    submit=_plan_action_docs(
        "Submit a plan for agreement",
        "The person hands the draft to their manager. Submitting twice changes nothing.",
        None,
    ),
    comment=_plan_action_docs(
        "Comment on a plan", "A manager in the person's chain comments.", PlanCommentSerializer
    ),
    agree=_plan_action_docs(
        "Agree a plan",
        "A manager in the person's chain agrees a submitted plan; records who and when and "
        "agrees the learning goals proposed by the person. Agreeing twice changes nothing.",
        PlanAgreeSerializer,
    ),
    close=_plan_action_docs(
        "Close a plan", "Closed plans are read-only. Closing twice changes nothing.", None
    ),
    objectives=_plan_action_docs(
        "Add a development objective",
        "Creates a learning goal owned by the plan's person (readable by them and their "
        "managers) and links it to the plan. On an agreed plan this asks for agreement again.",
        ObjectiveCreateSerializer,
    ),
    competencies=_plan_action_docs(
        "Add a competency to the plan",
        "Or change the level aimed for. On an agreed plan this asks for agreement again.",
        PlanCompetencyInputSerializer,
    ),
)
class DevelopmentPlanViewSet(_DevelopmentViewSet):
    queryset = DevelopmentPlan.unscoped.none()
    serializer_class = PlanSerializer
    lookup_url_kwarg = "plan_id"
    filterset_class = PlanFilter
    # Keys may call the writes, but the services refuse them: drafting, submitting and
    # agreeing a plan are people's acts. Listed so a foreign id is still a 404 first.
    required_scopes = {
        "list": READ,
        "retrieve": READ,
        **dict.fromkeys(
            [
                "create",
                "partial_update",
                "submit",
                "comment",
                "agree",
                "close",
                "objectives",
                "competencies",
                "remove_competency",
            ],
            WRITE,
        ),
    }

    def get_queryset(self) -> QuerySet[DevelopmentPlan]:
        return plan_api_queryset(self.actor)

    def _plan(self, plan_id: str) -> DevelopmentPlan:
        return selectors.plan_get(actor=self.actor, plan_id=plan_id)

    def _present(self, plan: DevelopmentPlan, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=plan.pk)
        return Response(PlanSerializer(fresh).data, status=code)

    def list(self, request: Request, org_slug: str) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(
            PlanSerializer(page, many=True).data  # type: ignore[arg-type]
        )

    def retrieve(self, request: Request, org_slug: str, plan_id: str) -> Response:
        return self._present(self._plan(plan_id))

    def create(self, request: Request, org_slug: str) -> Response:
        serializer = PlanCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        person = data.pop("person", None)
        if person is None:
            if not isinstance(self.actor, Membership):
                raise DomainError("Say whose plan this is.", fields={"person": ["Required."]})
            person = self.actor
        plan = services.plan_create(actor=self.actor, person=person, **data)
        return self._present(plan, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, org_slug: str, plan_id: str) -> Response:
        plan = self._plan(plan_id)
        serializer = PlanUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        plan = services.plan_update(actor=self.actor, plan=plan, **serializer.validated_data)
        return self._present(plan)

    @action(detail=True, methods=["post"])
    def submit(self, request: Request, org_slug: str, plan_id: str) -> Response:
        return self._present(services.plan_submit(actor=self.actor, plan=self._plan(plan_id)))

    @action(detail=True, methods=["post"])
    def comment(self, request: Request, org_slug: str, plan_id: str) -> Response:
        plan = self._plan(plan_id)
        serializer = PlanCommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = services.plan_comment(actor=self.actor, plan=plan, **serializer.validated_data)
        return self._present(plan)

    @action(detail=True, methods=["post"])
    def agree(self, request: Request, org_slug: str, plan_id: str) -> Response:
        plan = self._plan(plan_id)
        serializer = PlanAgreeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = services.plan_agree(actor=self.actor, plan=plan, **serializer.validated_data)
        return self._present(plan)

    @action(detail=True, methods=["post"])
    def close(self, request: Request, org_slug: str, plan_id: str) -> Response:
        return self._present(services.plan_close(actor=self.actor, plan=self._plan(plan_id)))

    @action(detail=True, methods=["post"])
    def objectives(self, request: Request, org_slug: str, plan_id: str) -> Response:
        plan = self._plan(plan_id)
        serializer = ObjectiveCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.objective_add(actor=self.actor, plan=plan, **serializer.validated_data)
        return self._present(plan, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def competencies(self, request: Request, org_slug: str, plan_id: str) -> Response:
        plan = self._plan(plan_id)
        serializer = PlanCompetencyInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        competency: Competency = serializer.validated_data["competency"]
        number = serializer.validated_data["target_level"]
        target = None
        if number is not None:
            target = CompetencyLevel.objects.filter(competency=competency, level=number).first()
            if target is None:
                raise DomainError(
                    "This competency has no such level.",
                    fields={"target_level": [f"{competency.name} has no level {number}."]},
                )
        services.plan_competency_set(
            actor=self.actor, plan=plan, competency=competency, target_level=target
        )
        return self._present(plan)

    @action(detail=True, methods=["post"], url_path="competencies/remove")
    def remove_competency(self, request: Request, org_slug: str, plan_id: str) -> Response:
        plan = self._plan(plan_id)
        serializer = PlanCompetencyRemoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        competency: Competency = serializer.validated_data["competency"]
        link = PlanCompetency.objects.filter(plan=plan, competency=competency).first()
        if link is None:
            raise DomainError(
                "This competency is not on the plan.",
                fields={"competency": ["Not on this plan."]},
            )
        services.plan_competency_remove(actor=self.actor, link=link)
        return self._present(plan)


# --- Objectives ---------------------------------------------------------------------------


class ObjectiveFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="plan_id")
    person = IdFilter(field_name="plan__person_id", help_text="Id of the plan's person.")
    competency = IdFilter(field_name="competency_id")

    class Meta:
        model = DevelopmentObjective
        fields = ["plan", "person", "competency"]


@extend_schema_view(
    list=extend_schema(
        summary="List development objectives",
        description="Objectives of the plans the caller may read; each is a learning goal.",
        tags=_PLAN_TAGS,
        **_COMMON,
        responses={200: ObjectiveDetailSerializer(many=True), **_READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Get a development objective",
        tags=_PLAN_TAGS,
        **_COMMON,
        responses={200: ObjectiveDetailSerializer, **_GET_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Change a development objective",
        description="Changes its learning goal through the goal rules; on an agreed plan this "
        "asks for agreement again.",
        tags=_PLAN_TAGS,
        **_COMMON,
        request=ObjectiveUpdateSerializer,
        responses={200: ObjectiveDetailSerializer, **_WRITE_ERRORS},
    ),
    destroy=extend_schema(
        summary="Remove a development objective",
        description="Takes it out of the plan and cancels its learning goal (kept, not "
        "deleted). On an agreed plan this asks for agreement again.",
        tags=_PLAN_TAGS,
        **_COMMON,
        responses={204: None, **_WRITE_ERRORS},
    ),
)
class DevelopmentObjectiveViewSet(_DevelopmentViewSet):
    queryset = DevelopmentObjective.unscoped.none()
    serializer_class = ObjectiveDetailSerializer
    lookup_url_kwarg = "objective_id"
    filterset_class = ObjectiveFilter
    required_scopes = {
        "list": READ,
        "retrieve": READ,
        "partial_update": WRITE,
        "destroy": WRITE,
    }

    def get_queryset(self) -> QuerySet[DevelopmentObjective]:
        return selectors.objective_list(actor=self.actor)

    def _objective(self, objective_id: str) -> DevelopmentObjective:
        return selectors.objective_get(actor=self.actor, objective_id=objective_id)

    def _present(self, objective: DevelopmentObjective) -> Response:
        fresh = self.get_queryset().get(pk=objective.pk)
        return Response(ObjectiveDetailSerializer(fresh).data)

    def list(self, request: Request, org_slug: str) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(
            ObjectiveDetailSerializer(page, many=True).data  # type: ignore[arg-type]
        )

    def retrieve(self, request: Request, org_slug: str, objective_id: str) -> Response:
        return self._present(self._objective(objective_id))

    def partial_update(self, request: Request, org_slug: str, objective_id: str) -> Response:
        objective = self._objective(objective_id)
        serializer = ObjectiveUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.objective_update(
            actor=self.actor, objective=objective, **serializer.validated_data
        )
        return self._present(objective)

    def destroy(self, request: Request, org_slug: str, objective_id: str) -> Response:
        objective = self._objective(objective_id)
        services.objective_remove(actor=self.actor, objective=objective)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Actions ------------------------------------------------------------------------------

_ACTION_TAGS = ["development plans"]


@extend_schema_view(
    list=extend_schema(
        summary="List development actions",
        description="Actions of the plans the caller may read.",
        tags=_ACTION_TAGS,
        **_COMMON,
        responses={200: ActionSerializer(many=True), **_READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Get a development action",
        tags=_ACTION_TAGS,
        **_COMMON,
        responses={200: ActionSerializer, **_GET_ERRORS},
    ),
    create=extend_schema(
        summary="Add an action to a plan",
        description="Training, mentoring, a stretch assignment, reading or other.",
        tags=_ACTION_TAGS,
        **_COMMON,
        request=ActionCreateSerializer,
        responses={201: ActionSerializer, **_WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Change a development action",
        description="Only the fields sent change; marking it done records when.",
        tags=_ACTION_TAGS,
        **_COMMON,
        request=ActionUpdateSerializer,
        responses={200: ActionSerializer, **_WRITE_ERRORS},
    ),
)
class DevelopmentActionViewSet(_DevelopmentViewSet):
    queryset = DevelopmentAction.unscoped.none()
    serializer_class = ActionSerializer
    lookup_url_kwarg = "action_id"
    filterset_class = ActionFilter
    required_scopes = {"list": READ, "retrieve": READ, "create": WRITE, "partial_update": WRITE}

    def get_queryset(self) -> QuerySet[DevelopmentAction]:
        return selectors.action_list(actor=self.actor)

    def list(self, request: Request, org_slug: str) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(
            ActionSerializer(page, many=True).data  # type: ignore[arg-type]
        )

    def retrieve(self, request: Request, org_slug: str, action_id: str) -> Response:
        found = selectors.action_get(actor=self.actor, action_id=action_id)
        return Response(ActionSerializer(found).data)

    def create(self, request: Request, org_slug: str) -> Response:
        serializer = ActionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        plan: DevelopmentPlan = data.pop("plan")
        if not policies.can_view_plan(self.actor, plan):
            raise DomainError("Unknown plan.", fields={"plan": ["Unknown plan."]})
        created = services.action_create(actor=self.actor, plan=plan, **data)
        return Response(ActionSerializer(created).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, org_slug: str, action_id: str) -> Response:
        found = selectors.action_get(actor=self.actor, action_id=action_id)
        serializer = ActionUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changed = services.action_update(
            actor=self.actor, action=found, **serializer.validated_data
        )
        return Response(ActionSerializer(changed).data)
