"""Goals over the REST API: /api/v1/orgs/<org_slug>/goals/, key-results/, goal-updates/.

Thin: parse input, call one selector or service, serialize. A goal the caller may not read
is a 404, exactly like another organization's id.
"""

from __future__ import annotations

from typing import Any, cast

import django_filters
from django import forms
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet
from perfmgmt.api.filters import UtcDateTimeFilter
from perfmgmt.api.models import Scope
from perfmgmt.api.parsers import JSONParser
from perfmgmt.api.permissions import HasRequiredScope
from perfmgmt.api.schema import ORG_SLUG_PARAMETER, RETRY_AFTER_HEADER, error_responses
from perfmgmt.errors import DomainError
from perfmgmt.tenancy.policies import Actor

from . import policies, selectors, services
from .models import (
    Confidence,
    Goal,
    GoalStatus,
    GoalType,
    GoalUpdate,
    Milestone,
    OwnerKind,
)
from .serializers import (
    STATUS_SCHEMA,
    AgreeSerializer,
    AssignSerializer,
    GoalChangeSerializer,
    GoalCreateSerializer,
    GoalRevisionSerializer,
    GoalSerializer,
    GoalUpdateCreateSerializer,
    GoalUpdateEditSerializer,
    GoalUpdateSerializer,
    KeyResultCreateSerializer,
)


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


@extend_schema_field(STATUS_SCHEMA)
class GoalStatusFilter(django_filters.ChoiceFilter):
    """Documented inline: `status` is also the name of the people status enum."""


class GoalFilter(django_filters.FilterSet):
    owner = IdFilter(field_name="owner_person_id", help_text="Id of the person who owns it.")
    team = IdFilter(method="filter_team", help_text="Team id: the team's and its people's goals.")
    owner_kind = django_filters.ChoiceFilter(choices=OwnerKind.choices)
    status = GoalStatusFilter(choices=GoalStatus.choices)
    goal_type = django_filters.ChoiceFilter(choices=GoalType.choices)
    parent = IdFilter(field_name="parent_id", help_text="Id of the goal they support.")
    period = django_filters.CharFilter(
        method="filter_period",
        help_text="Goals whose dates overlap a year (2026), quarter (2026-Q4) or month (2026-11).",
    )
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")

    class Meta:
        model = Goal
        fields = ["owner", "team", "owner_kind", "status", "goal_type", "parent"]

    def filter_team(self, queryset: QuerySet[Goal], name: str, value: int) -> QuerySet[Goal]:
        return queryset.filter(Q(owner_team_id=value) | Q(owner_person__team_id=value))

    def filter_period(self, queryset: QuerySet[Goal], name: str, value: str) -> QuerySet[Goal]:
        try:
            first, last = selectors.period_bounds(value)
        except ValueError as error:
            raise ValidationError({"period": [str(error)]}) from None
        return queryset.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=last),
            Q(due_date__isnull=True) | Q(due_date__gte=first),
        )


class GoalUpdateFilter(django_filters.FilterSet):
    goal = IdFilter(field_name="goal_id")
    author = IdFilter(field_name="author_id", help_text="Id of the person who posted it.")
    confidence = django_filters.ChoiceFilter(choices=Confidence.choices)
    created_after = UtcDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = UtcDateTimeFilter(field_name="created_at", lookup_expr="lt")
    period = django_filters.CharFilter(
        method="filter_period",
        help_text="Posted in a year (2026), quarter (2026-Q4) or month (2026-11), in UTC.",
    )

    class Meta:
        model = GoalUpdate
        fields = ["goal", "author", "confidence"]

    def filter_period(
        self, queryset: QuerySet[GoalUpdate], name: str, value: str
    ) -> QuerySet[GoalUpdate]:
        try:
            first, last = selectors.period_bounds(value)
        except ValueError as error:
            raise ValidationError({"period": [str(error)]}) from None
        return queryset.filter(created_at__date__gte=first, created_at__date__lte=last)


_COMMON: dict[str, Any] = {"parameters": [ORG_SLUG_PARAMETER, RETRY_AFTER_HEADER]}
_READ_ERRORS = error_responses(400, 401, 403, 404, 429)
_WRITE_ERRORS = error_responses(400, 401, 403, 404, 409, 429)

_GOAL_SCOPES = {
    "list": Scope.GOALS_READ,
    "retrieve": Scope.GOALS_READ,
    "create": Scope.GOALS_WRITE,
    "partial_update": Scope.GOALS_WRITE,
    "agree": Scope.GOALS_WRITE,
    "assign": Scope.GOALS_WRITE,
    "revisions": Scope.GOALS_READ,
}


def _require_visible(actor: Actor, goal: Goal, *, field: str) -> None:
    """A goal named in a body that the caller may not read is answered like an unknown id."""
    if not policies.can_view_goal(actor, goal):
        raise DomainError("Unknown goal.", fields={field: ["Unknown goal."]})


class _GoalBase(OrgViewSet):
    queryset = Goal.unscoped.none()
    serializer_class = GoalSerializer
    permission_classes = [IsAuthenticated, HasRequiredScope]
    parser_classes = [JSONParser]
    filterset_class = GoalFilter
    required_scopes = _GOAL_SCOPES

    def get_queryset(self) -> QuerySet[Goal]:
        return selectors.visible_goals(actor=self.actor).prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("order", "id"))
        )

    def _goal(self, goal_id: str) -> Goal:
        return selectors.goal_get(actor=self.actor, goal_id=goal_id)

    def _present(self, goal: Goal, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=goal.pk)
        return Response(
            GoalSerializer(fresh, context={"actor": self.actor}).data, status=status_code
        )

    def list(self, request: Request, org_slug: str) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(
            GoalSerializer(cast(Any, page), many=True, context={"actor": self.actor}).data
        )

    def retrieve(self, request: Request, org_slug: str, **kwargs: str) -> Response:
        return self._present(self._goal(next(iter(kwargs.values()))))

    def partial_update(self, request: Request, org_slug: str, **kwargs: str) -> Response:
        goal = self._goal(next(iter(kwargs.values())))
        serializer = GoalChangeSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        self._check_change(data)
        milestones = data.pop("milestones", [])
        goal = services.goal_update(actor=self.actor, goal=goal, milestones=milestones, **data)
        return self._present(goal)

    def _check_change(self, data: dict[str, Any]) -> None:
        """Refuses a change after which this endpoint could no longer show the goal."""

    @action(detail=True, methods=["post"])
    def agree(self, request: Request, org_slug: str, **kwargs: str) -> Response:
        goal = self._goal(next(iter(kwargs.values())))
        serializer = AgreeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._present(
            services.goal_agree(actor=self.actor, goal=goal, **serializer.validated_data)
        )

    @action(detail=True, methods=["get"])
    def revisions(self, request: Request, org_slug: str, **kwargs: str) -> Response:
        goal = self._goal(next(iter(kwargs.values())))
        page = self.paginate_queryset(selectors.goal_revisions(goal=goal))
        context = {"show_reward": policies.goal_reward_readers(self.actor)(goal)}
        return self.get_paginated_response(
            GoalRevisionSerializer(cast(Any, page), many=True, context=context).data
        )


def _goal_docs(noun: str, create: type, tag: str) -> Any:
    return extend_schema_view(
        list=extend_schema(
            summary=f"List {noun}s",
            description=(
                f"The {noun}s the caller may read, ordered by id; follow `next` for more pages. "
                "`progress` is derived (0 to 1) and includes the roll-up of child goals."
            ),
            tags=[tag],
            **_COMMON,
            responses={200: GoalSerializer(many=True), **_READ_ERRORS},
        ),
        retrieve=extend_schema(
            summary=f"Get a {noun}",
            tags=[tag],
            **_COMMON,
            responses={200: GoalSerializer, **error_responses(401, 403, 404, 429)},
        ),
        create=extend_schema(
            summary=f"Propose a {noun}",
            description="Created as a draft proposed by the caller; the other side agrees it.",
            tags=[tag],
            **_COMMON,
            request=create,
            responses={201: GoalSerializer, **_WRITE_ERRORS},
        ),
        partial_update=extend_schema(
            summary=f"Change a {noun}",
            description=(
                "Only the fields sent change; sending what is already there changes nothing. "
                "Changing what was agreed on an agreed goal (title, description, type, "
                "measure, dates, weight, reward, or adding `milestones`) keeps the agreed "
                "version (see `revisions/`), asks the other side to agree again and is "
                "audited. The current value and the status do not clear the agreement."
            ),
            tags=[tag],
            **_COMMON,
            request=GoalChangeSerializer,
            responses={200: GoalSerializer, **_WRITE_ERRORS},
        ),
        revisions=extend_schema(
            summary=f"Earlier agreed versions of a {noun}",
            description=(
                "Kept each time a change of what was agreed (title, description, type, "
                "measure, dates, weight, milestones, reward) cleared the agreement, newest "
                "first by id. The reward is shown only to those who may read it."
            ),
            tags=[tag],
            **_COMMON,
            responses={200: GoalRevisionSerializer(many=True), **_READ_ERRORS},
        ),
        agree=extend_schema(
            summary=f"Agree a {noun}",
            description=(
                "The other side of the proposal agrees it (records who and when); never the "
                "person who proposed a person's goal. The manager's side may write the "
                "expected reward; the goal's owner accepts it as proposed (another reward is "
                "a 400: change the goal instead). Agreeing twice changes nothing."
            ),
            tags=[tag],
            **_COMMON,
            request=AgreeSerializer,
            responses={200: GoalSerializer, **_WRITE_ERRORS},
        ),
    )


@_goal_docs("goal", GoalCreateSerializer, "goals")
class GoalViewSet(_GoalBase):
    lookup_url_kwarg = "goal_id"

    @extend_schema(
        summary="Assign a goal to many people",
        description=(
            "Each person (listed, and/or everyone in `team` the caller may set goals for) "
            "gets their own copy, linked to the same parent. All or nothing."
        ),
        tags=["goals"],
        **_COMMON,
        request=AssignSerializer,
        responses={201: GoalSerializer(many=True), **_WRITE_ERRORS},
    )
    @action(detail=False, methods=["post"])
    def assign(self, request: Request, org_slug: str) -> Response:
        serializer = AssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        people = list(data.pop("people", []))
        team = data.pop("team", None)
        if team is not None:
            people += list(selectors.assignable_team_members(actor=self.actor, team=team))
        goals = services.goal_assign_many(actor=self.actor, people=people, **data)
        fresh = self.get_queryset().filter(pk__in=[goal.pk for goal in goals]).order_by("pk")
        return Response(
            GoalSerializer(cast(Any, fresh), many=True, context={"actor": self.actor}).data,
            status=status.HTTP_201_CREATED,
        )

    def create(self, request: Request, org_slug: str) -> Response:
        serializer = GoalCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        goal = services.goal_create(actor=self.actor, **serializer.validated_data)
        return self._present(goal, status.HTTP_201_CREATED)


@_goal_docs("key result", KeyResultCreateSerializer, "key results")
class KeyResultViewSet(_GoalBase):
    """Key results: child goals with a measure."""

    lookup_url_kwarg = "key_result_id"

    def get_queryset(self) -> QuerySet[Goal]:
        return (
            super()
            .get_queryset()
            .filter(parent__isnull=False, start_value__isnull=False, target_value__isnull=False)
        )

    def _goal(self, goal_id: str) -> Goal:
        goal = super()._goal(goal_id)
        if not goal.is_key_result:
            raise Http404("No such key result.")
        return goal

    def _check_change(self, data: dict[str, Any]) -> None:
        measure = ("parent", "start_value", "target_value")
        cleared = [field for field in measure if field in data and data[field] is None]
        if cleared:
            message = "A key result keeps its parent goal, start and target."
            raise DomainError(message, fields={field: [message] for field in cleared})

    def create(self, request: Request, org_slug: str) -> Response:
        serializer = KeyResultCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        parent: Goal = data["parent"]
        _require_visible(self.actor, parent, field="parent")
        data.setdefault("goal_type", GoalType.QUANTITATIVE)
        goal = services.goal_create(
            actor=self.actor,
            owner_kind=parent.owner_kind,
            owner_person=parent.owner_person,
            owner_team=parent.owner_team,
            **data,
        )
        return self._present(goal, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="List goal updates",
        description="Check-ins on the goals the caller may read, ordered by id.",
        tags=["goal updates"],
        **_COMMON,
        responses={200: GoalUpdateSerializer(many=True), **_READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Get a goal update",
        tags=["goal updates"],
        **_COMMON,
        responses={200: GoalUpdateSerializer, **error_responses(401, 403, 404, 429)},
    ),
    create=extend_schema(
        summary="Post a goal update",
        description=(
            "A new current value and/or the done milestones, a confidence level and a "
            "comment. The goal's progress and its parents' roll-up are refreshed."
        ),
        tags=["goal updates"],
        **_COMMON,
        request=GoalUpdateCreateSerializer,
        responses={201: GoalUpdateSerializer, **_WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Correct a goal update",
        description="The author corrects the comment or confidence; values stay as history.",
        tags=["goal updates"],
        **_COMMON,
        request=GoalUpdateEditSerializer,
        responses={200: GoalUpdateSerializer, **_WRITE_ERRORS},
    ),
)
class GoalUpdateViewSet(OrgViewSet):
    queryset = GoalUpdate.unscoped.none()
    serializer_class = GoalUpdateSerializer
    permission_classes = [IsAuthenticated, HasRequiredScope]
    parser_classes = [JSONParser]
    filterset_class = GoalUpdateFilter
    lookup_url_kwarg = "goal_update_id"
    required_scopes = {
        "list": Scope.GOALS_READ,
        "retrieve": Scope.GOALS_READ,
        "create": Scope.GOALS_WRITE,
        "partial_update": Scope.GOALS_WRITE,
    }

    def get_queryset(self) -> QuerySet[GoalUpdate]:
        visible = selectors.visible_goals(actor=self.actor).values("pk")
        return GoalUpdate.objects.filter(goal_id__in=visible)

    def _update(self, update_id: str) -> GoalUpdate:
        try:
            return self.get_queryset().get(pk=int(update_id))
        except (GoalUpdate.DoesNotExist, ValueError, OverflowError):
            raise Http404("No such goal update.") from None

    def list(self, request: Request, org_slug: str) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(GoalUpdateSerializer(cast(Any, page), many=True).data)

    def retrieve(self, request: Request, org_slug: str, goal_update_id: str) -> Response:
        return Response(GoalUpdateSerializer(self._update(goal_update_id)).data)

    def create(self, request: Request, org_slug: str) -> Response:
        serializer = GoalUpdateCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        goal: Goal = data.pop("goal")
        _require_visible(self.actor, goal, field="goal")
        update = services.goal_update_post(actor=self.actor, goal=goal, **data)
        return Response(GoalUpdateSerializer(update).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, org_slug: str, goal_update_id: str) -> Response:
        update = self._update(goal_update_id)
        serializer = GoalUpdateEditSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        update = services.goal_update_edit(
            actor=self.actor, update=update, **serializer.validated_data
        )
        return Response(GoalUpdateSerializer(update).data)
