"""Development plans over the API, and what is done through a plan.

Submit, comment, agree and close; add objectives; add, retarget or remove competencies.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet
from perfmgmt.errors import DomainError
from perfmgmt.tenancy.models import Membership

from .. import selectors, services
from ..models import (
    Competency,
    CompetencyLevel,
    DevelopmentObjective,
    DevelopmentPlan,
    PlanCompetency,
)
from ..serializers import (
    ObjectiveCreateSerializer,
    PlanAgreeSerializer,
    PlanCommentSerializer,
    PlanCompetencyInputSerializer,
    PlanCompetencyRemoveSerializer,
    PlanCreateSerializer,
    PlanDetailSerializer,
    PlanSerializer,
    PlanUpdateSerializer,
)
from ._schema import (
    _COMMON,
    _GET_ERRORS,
    _PLAN_TAGS,
    _READ_ERRORS,
    _WRITE_ERRORS,
    READ,
    WRITE,
)
from .filters import PlanFilter


def plan_api_queryset(actor: Any, **filters: Any) -> QuerySet[DevelopmentPlan]:
    """Visible plans with everything the plan body shows, in a fixed number of queries."""
    return selectors.plan_list(actor=actor, **filters).prefetch_related(
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
        responses={200: PlanDetailSerializer, **_GET_ERRORS},
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
class DevelopmentPlanViewSet(OrgViewSet):
    model = DevelopmentPlan
    serializer_class = PlanSerializer
    lookup_url_kwarg = "plan_id"
    present_fresh = True
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

    def _plan(self) -> DevelopmentPlan:
        return selectors.plan_get(actor=self.actor, plan_id=self.object_id())

    def list(self, request: Request, org_slug: str) -> Response:
        return self.page(plan_api_queryset(self.actor, **self.filter_arguments()))

    def retrieve(self, request: Request, org_slug: str, plan_id: str) -> Response:
        plan = self.get_queryset().get(pk=self._plan().pk)
        plan.capabilities = selectors.plan_capabilities(actor=self.actor, plan=plan)  # type: ignore[attr-defined]
        return self.present(plan, serializer=PlanDetailSerializer, fresh=True)

    def create(self, request: Request, org_slug: str) -> Response:
        data = self.parse(PlanCreateSerializer)
        person = data.pop("person", None)
        if person is None:
            if not isinstance(self.actor, Membership):
                raise DomainError(_("Say whose plan this is."), fields={"person": [_("Required.")]})
            person = self.actor
        plan = services.plan_create(actor=self.actor, person=person, **data)
        return self.present(plan, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, org_slug: str, plan_id: str) -> Response:
        plan = self._plan()
        data = self.parse(PlanUpdateSerializer, partial=True)
        plan = services.plan_update(actor=self.actor, plan=plan, **data)
        return self.present(plan)

    @action(detail=True, methods=["post"])
    def submit(self, request: Request, org_slug: str, plan_id: str) -> Response:
        return self.present(services.plan_submit(actor=self.actor, plan=self._plan()))

    @action(detail=True, methods=["post"])
    def comment(self, request: Request, org_slug: str, plan_id: str) -> Response:
        plan = self._plan()
        data = self.parse(PlanCommentSerializer)
        plan = services.plan_comment(actor=self.actor, plan=plan, **data)
        return self.present(plan)

    @action(detail=True, methods=["post"])
    def agree(self, request: Request, org_slug: str, plan_id: str) -> Response:
        plan = self._plan()
        data = self.parse(PlanAgreeSerializer)
        plan = services.plan_agree(actor=self.actor, plan=plan, **data)
        return self.present(plan)

    @action(detail=True, methods=["post"])
    def close(self, request: Request, org_slug: str, plan_id: str) -> Response:
        return self.present(services.plan_close(actor=self.actor, plan=self._plan()))

    @action(detail=True, methods=["post"])
    def objectives(self, request: Request, org_slug: str, plan_id: str) -> Response:
        plan = self._plan()
        data = self.parse(ObjectiveCreateSerializer)
        services.objective_add(actor=self.actor, plan=plan, **data)
        return self.present(plan, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def competencies(self, request: Request, org_slug: str, plan_id: str) -> Response:
        plan = self._plan()
        data = self.parse(PlanCompetencyInputSerializer)
        competency: Competency = data["competency"]
        number = data["target_level"]
        target = None
        if number is not None:
            target = CompetencyLevel.objects.filter(competency=competency, level=number).first()
            if target is None:
                raise DomainError(
                    _("This competency has no such level."),
                    fields={
                        "target_level": [
                            _("%(competency)s has no level %(level)d.")
                            % {"competency": competency.name, "level": number}
                        ]
                    },
                )
        services.plan_competency_set(
            actor=self.actor, plan=plan, competency=competency, target_level=target
        )
        return self.present(plan)

    @action(detail=True, methods=["post"], url_path="competencies/remove")
    def remove_competency(self, request: Request, org_slug: str, plan_id: str) -> Response:
        plan = self._plan()
        data = self.parse(PlanCompetencyRemoveSerializer)
        competency: Competency = data["competency"]
        link = PlanCompetency.objects.filter(plan=plan, competency=competency).first()
        if link is None:
            raise DomainError(
                _("This competency is not on the plan."),
                fields={"competency": [_("Not on this plan.")]},
            )
        services.plan_competency_remove(actor=self.actor, link=link)
        return self.present(plan)
