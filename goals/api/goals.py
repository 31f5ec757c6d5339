"""Goals and key results over the REST API (+ agree, assign, revisions)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet
from perfmgmt.api.models import Scope
from perfmgmt.api.schema import ORG_SLUG_PARAMETER, RETRY_AFTER_HEADER, error_responses
from perfmgmt.errors import DomainError
from perfmgmt.tenancy.policies import Actor

from .. import policies, selectors, services
from ..models import Goal, GoalType, Milestone
from ..serializers import (
    GOAL_JSON,
    AgreeSerializer,
    AssignSerializer,
    GoalChangeSerializer,
    GoalCreateSerializer,
    GoalDetailSerializer,
    GoalRevisionSerializer,
    GoalSerializer,
    KeyResultCreateSerializer,
)
from .filters import GoalFilter

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


def require_visible(actor: Actor, goal: Goal, *, field: str) -> None:
    """A goal named in a body that the caller may not read is answered like an unknown id."""
    if not policies.can_view_goal(actor, goal):
        raise DomainError(_("Unknown goal."), fields={field: [_("Unknown goal.")]})


class _GoalEndpoints(OrgViewSet):
    # What goals and key results both answer; `goals()` is what each of them lists.
    # (No docstring: drf-spectacular would describe the key results with it.)

    model = Goal
    serializer_class = GoalSerializer
    # GoalFilter parses and documents the query parameters; `goal_list` applies them.
    filterset_class = GoalFilter
    required_scopes = _GOAL_SCOPES
    present_fresh = True

    def narrow(self, goals: QuerySet[Any]) -> QuerySet[Any]:
        """What this endpoint lists of the goals (all of them; key results narrow it)."""
        return goals

    def goals(self, **filters: Any) -> QuerySet[Goal]:
        goals = self.narrow(selectors.goal_list(actor=self.actor, **filters))
        return goals.prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("order", "id"))
        )

    def get_queryset(self) -> QuerySet[Goal]:
        return self.goals()

    def _goal(self) -> Goal:
        return selectors.goal_get(actor=self.actor, goal_id=self.object_id())

    def list(self, request: Request, org_slug: str) -> Response:
        rows = selectors.goal_rows(actor=self.actor, **self.filter_arguments())
        return self.page(self.narrow(rows), rows=GOAL_JSON)

    def retrieve(self, request: Request, org_slug: str, **kwargs: str) -> Response:
        goal = self._goal()
        goal.capabilities = selectors.goal_capabilities(actor=self.actor, goal=goal)  # type: ignore[attr-defined]
        return self.present(goal, serializer=GoalDetailSerializer, fresh=True)

    def partial_update(self, request: Request, org_slug: str, **kwargs: str) -> Response:
        goal = self._goal()
        data = self.parse(GoalChangeSerializer, partial=True)
        self._check_change(data)
        milestones = data.pop("milestones", [])
        goal = services.goal_update(actor=self.actor, goal=goal, milestones=milestones, **data)
        return self.present(goal)

    def _check_change(self, data: dict[str, Any]) -> None:
        """Refuses a change after which this endpoint could no longer show the goal."""

    @action(detail=True, methods=["post"])
    def agree(self, request: Request, org_slug: str, **kwargs: str) -> Response:
        goal = self._goal()
        data = self.parse(AgreeSerializer)
        return self.present(services.goal_agree(actor=self.actor, goal=goal, **data))

    @action(detail=True, methods=["get"])
    def revisions(self, request: Request, org_slug: str, **kwargs: str) -> Response:
        goal = self._goal()
        return self.page(selectors.goal_revisions(goal=goal), serializer=GoalRevisionSerializer)


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
            responses={200: GoalDetailSerializer, **error_responses(401, 403, 404, 429)},
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
class GoalViewSet(_GoalEndpoints):
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
        data = self.parse(AssignSerializer)
        people = list(data.pop("people", []))
        team = data.pop("team", None)
        if team is not None:
            people += list(selectors.assignable_team_members(actor=self.actor, team=team))
        goals = services.goal_assign_many(actor=self.actor, people=people, **data)
        fresh = self.goals().filter(pk__in=[goal.pk for goal in goals]).order_by("pk")
        data = GoalSerializer(fresh, many=True, context=self.present_context()).data  # type: ignore[arg-type]
        return Response(data, status=status.HTTP_201_CREATED)

    def create(self, request: Request, org_slug: str) -> Response:
        goal = services.goal_create(actor=self.actor, **self.parse(GoalCreateSerializer))
        return self.present(goal, status.HTTP_201_CREATED)


@_goal_docs("key result", KeyResultCreateSerializer, "key results")
class KeyResultViewSet(_GoalEndpoints):
    """Key results: child goals with a measure."""

    lookup_url_kwarg = "key_result_id"

    def narrow(self, goals: QuerySet[Any]) -> QuerySet[Any]:
        return goals.filter(
            parent__isnull=False, start_value__isnull=False, target_value__isnull=False
        )

    def _goal(self) -> Goal:
        goal = super()._goal()
        if not goal.is_key_result:
            raise Http404("No such key result.")
        return goal

    def _check_change(self, data: dict[str, Any]) -> None:
        measure = ("parent", "start_value", "target_value")
        cleared = [field for field in measure if field in data and data[field] is None]
        if cleared:
            message = _("A key result keeps its parent goal, start and target.")
            raise DomainError(message, fields={field: [message] for field in cleared})

    def create(self, request: Request, org_slug: str) -> Response:
        data = self.parse(KeyResultCreateSerializer)
        parent: Goal = data["parent"]
        require_visible(self.actor, parent, field="parent")
        data.setdefault("goal_type", GoalType.QUANTITATIVE)
        goal = services.goal_create(
            actor=self.actor,
            owner_kind=parent.owner_kind,
            owner_person=parent.owner_person,
            owner_team=parent.owner_team,
            **data,
        )
        return self.present(goal, status.HTTP_201_CREATED)
