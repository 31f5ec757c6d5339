"""Praise, the organization's values and rewards over the REST API:
/api/v1/orgs/<org_slug>/praise/, /company-values/ and /rewards/.

Praise is read by everyone of the organization and written by people; API keys use
neither (praise is about people, written by people).
"""

from __future__ import annotations

from typing import Any, cast

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet
from perfmgmt.api.filters import IdFilter
from perfmgmt.api.schema import COMMON_PARAMETERS, GET_ERRORS, LIST_ERRORS, WRITE_ERRORS

from . import policies, selectors, services
from .models import CompanyValue, Praise, RewardProposal, RewardStatus
from .serializers import (
    CompanyValueSerializer,
    PraiseCreateSerializer,
    PraiseSerializer,
    RewardCreateSerializer,
    RewardDecisionSerializer,
    RewardSerializer,
)

PEOPLE_ONLY = cast("str", _("Praise is given and read by people; API keys cannot use it."))
_COMMON: dict[str, Any] = {"tags": ["praise"], "parameters": COMMON_PARAMETERS}


class PraiseFilter(django_filters.FilterSet):
    person = IdFilter(field_name="person_id", help_text="Praise naming this person.")
    value = IdFilter(field_name="value_id", help_text="Praise for this value.")

    class Meta:
        model = Praise
        fields = ["person", "value"]


@extend_schema_view(
    list=extend_schema(
        summary="List praise",
        description="Everyone's praise in the organization, by id.",
        **_COMMON,
        responses={200: PraiseSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Get praise", **_COMMON, responses={200: PraiseSerializer, **GET_ERRORS}
    ),
    create=extend_schema(
        summary="Praise colleagues",
        description="Public inside the organization; each person praised is told.",
        **_COMMON,
        request=PraiseCreateSerializer,
        responses={201: PraiseSerializer, **WRITE_ERRORS},
    ),
    destroy=extend_schema(
        summary="Remove praise",
        description="Its giver, or an HR admin (audited).",
        **_COMMON,
        responses={204: None, **WRITE_ERRORS},
    ),
)
class PraiseViewSet(OrgViewSet):
    model = Praise
    selector = staticmethod(selectors.praise_list)
    present_fresh = True  # a write answers what a read would (giver, recipients, value)
    people_only = PEOPLE_ONLY
    serializer_class = PraiseSerializer
    filterset_class = PraiseFilter
    lookup_url_kwarg = "praise_id"

    def _get(self, praise_id: str) -> Praise:
        return self.visible(
            lambda: selectors.praise_lookup(praise_id=praise_id),
            lambda person: selectors.praise_get(actor=person, praise_id=praise_id),
        )

    def list(self, request: Request, org_slug: str) -> Response:
        person = self.person()
        return self.page(selectors.praise_list(actor=person, **self.filter_arguments()))

    def retrieve(self, request: Request, org_slug: str, praise_id: str) -> Response:
        return self.present(self._get(praise_id), fresh=True)

    def create(self, request: Request, org_slug: str) -> Response:
        person = self.person()
        praise = services.praise_give(actor=person, **self.parse(PraiseCreateSerializer))
        return self.present(praise, status.HTTP_201_CREATED)

    def destroy(self, request: Request, org_slug: str, praise_id: str) -> Response:
        praise = self._get(praise_id)
        services.praise_remove(actor=self.person(), praise=praise)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(
        summary="List the organization's values",
        description="What praise can be given for; retired ones have active false.",
        **_COMMON,
        responses={200: CompanyValueSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Get a value", **_COMMON, responses={200: CompanyValueSerializer, **GET_ERRORS}
    ),
)
class CompanyValueViewSet(OrgViewSet):
    model = CompanyValue
    people_only = PEOPLE_ONLY
    serializer_class = CompanyValueSerializer
    lookup_url_kwarg = "value_id"

    def list(self, request: Request, org_slug: str) -> Response:
        self.person()
        return self.page(selectors.value_list().order_by("id"))

    def retrieve(self, request: Request, org_slug: str, value_id: str) -> Response:
        value = self.visible(
            lambda: selectors.value_get(value_id=value_id),
            lambda person: selectors.value_get(value_id=value_id),
        )
        return self.present(value)


class RewardFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=RewardStatus.choices)
    person = IdFilter(field_name="person_id", help_text="Rewards for this person.")

    class Meta:
        model = RewardProposal
        fields = ["status", "person"]


REWARDS_PEOPLE_ONLY = cast(
    "str",
    _(
        "Rewards are proposed and decided by people; an API key reads approved rewards "
        "with the rewards:read scope."
    ),
)
_REWARDS: dict[str, Any] = {"tags": ["rewards"], "parameters": COMMON_PARAMETERS}


def _decision(summary: str, description: str) -> Any:
    return extend_schema(
        summary=summary,
        description=description,
        **_REWARDS,
        request=RewardDecisionSerializer,
        responses={200: RewardSerializer, **WRITE_ERRORS},
    )


@extend_schema_view(
    list=extend_schema(
        summary="List rewards",
        description="HR admins: all; proposers: theirs; managers: their line's; a person: "
        "their approved rewards; an API key with rewards:read: the approved ones.",
        **_REWARDS,
        responses={200: RewardSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Get a reward", **_REWARDS, responses={200: RewardSerializer, **GET_ERRORS}
    ),
    create=extend_schema(
        summary="Propose a reward",
        description="For someone in the caller's line; HR admins are told and decide.",
        **_REWARDS,
        request=RewardCreateSerializer,
        responses={201: RewardSerializer, **WRITE_ERRORS},
    ),
    approve=_decision("Approve a reward", "HR admins; within its budget when it has one."),
    reject=_decision("Turn a reward down", "HR admins, with a note for the proposer."),
    withdraw=extend_schema(
        summary="Withdraw a proposal",
        description="Its proposer, while it waits for a decision.",
        **_REWARDS,
        request=None,
        responses={200: RewardSerializer, **WRITE_ERRORS},
    ),
)
class RewardViewSet(OrgViewSet):
    model = RewardProposal
    selector = staticmethod(selectors.reward_list)
    present_fresh = True  # a decision answers what a read would (people, budget)
    people_only = REWARDS_PEOPLE_ONLY
    serializer_class = RewardSerializer
    filterset_class = RewardFilter
    lookup_url_kwarg = "reward_id"

    def _get(self, reward_id: str) -> RewardProposal:
        return self.visible(
            lambda: selectors.reward_lookup(reward_id=reward_id),
            lambda person: selectors.reward_get(actor=person, reward_id=reward_id),
        )

    def list(self, request: Request, org_slug: str) -> Response:
        if not policies.can_read_rewards(self.actor):
            raise PermissionDenied(REWARDS_PEOPLE_ONLY)
        return self.page(self.listed())

    def retrieve(self, request: Request, org_slug: str, reward_id: str) -> Response:
        if not policies.can_read_rewards(self.actor):
            self._get(reward_id)  # another organization's id: a 404, then the 403
        reward = selectors.reward_get(actor=self.actor, reward_id=reward_id)
        return self.present(reward, fresh=True)

    def create(self, request: Request, org_slug: str) -> Response:
        person = self.person()
        reward = services.reward_propose(actor=person, **self.parse(RewardCreateSerializer))
        return self.present(reward, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def approve(self, request: Request, org_slug: str, reward_id: str) -> Response:
        reward = self._get(reward_id)
        note = self.parse(RewardDecisionSerializer).get("note", "")
        return self.present(
            services.reward_approve(actor=self.person(), proposal=reward, note=note)
        )

    @action(detail=True, methods=["post"])
    def reject(self, request: Request, org_slug: str, reward_id: str) -> Response:
        reward = self._get(reward_id)
        note = self.parse(RewardDecisionSerializer).get("note", "")
        return self.present(services.reward_reject(actor=self.person(), proposal=reward, note=note))

    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, org_slug: str, reward_id: str) -> Response:
        reward = self._get(reward_id)
        return self.present(services.reward_withdraw(actor=self.person(), proposal=reward))
