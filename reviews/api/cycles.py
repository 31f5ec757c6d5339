"""Review cycles and participants over the API (HR, or keys with reviews:read / :write)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import django_filters
from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet
from perfmgmt.api.filters import IdFilter, SelectorFilterBackend, parsed_filters
from perfmgmt.api.schema import COMMON_PARAMETERS, GET_ERRORS, LIST_ERRORS, WRITE_ERRORS
from perfmgmt.errors import NotFoundError

from .. import policies
from ..models import Participant, ReviewCycle
from ..selectors import cycles as selectors
from ..serializers.cycles import (
    AddLateSerializer,
    ExtendSerializer,
    ParticipantSerializer,
    ReopenSerializer,
    ReviewCycleSerializer,
    ReviewCycleWriteSerializer,
)
from ..serializers.retrospectives import NextCycleSerializer
from ..services.cycles import configure, next_cycle, people
from ..services.cycles import launch as launching

READ, WRITE = policies.READ_SCOPE, policies.WRITE_SCOPE
_COMMON: dict[str, Any] = {"parameters": COMMON_PARAMETERS, "tags": ["review cycles"]}


def _require_read(actor: Any) -> None:
    if not policies.can_view_all_reviews(actor):
        raise PermissionDenied("Only HR reads review cycles.")


def _set_phases(actor: Any, cycle: ReviewCycle, phases: list[dict[str, Any]] | None) -> None:
    if phases is not None:
        configure.cycle_phases_set(
            actor=actor, cycle=cycle, phases=ReviewCycleWriteSerializer.phase_inputs(phases)
        )


@extend_schema_view(
    list=extend_schema(
        summary="List review cycles",
        **_COMMON,
        responses={200: ReviewCycleSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Get a review cycle",
        **_COMMON,
        responses={200: ReviewCycleSerializer, **GET_ERRORS},
    ),
    create=extend_schema(
        summary="Create a review cycle",
        description="Phases are days and times in the organization's time zone.",
        **_COMMON,
        request=ReviewCycleWriteSerializer,
        responses={201: ReviewCycleSerializer, **WRITE_ERRORS},
    ),
    update=extend_schema(
        summary="Change a review cycle",
        description="Once launched, only the name, description and reminders change; phases "
        "move only later.",
        **_COMMON,
        request=ReviewCycleWriteSerializer,
        responses={200: ReviewCycleSerializer, **WRITE_ERRORS},
    ),
    launch=extend_schema(
        summary="Launch a review cycle",
        description="Runs in the background: 202 with the progress (launch_done of "
        "launch_total). Launching twice creates nothing twice.",
        **_COMMON,
        request=None,
        responses={202: ReviewCycleSerializer, **WRITE_ERRORS},
    ),
    next=extend_schema(
        summary="Create the next cycle from this one",
        description="A draft with the same template, participant rules, peer settings, "
        "reminders and phases, moved so that its evidence starts the day after this cycle's "
        "ends. Only from a launched or closed cycle; 409 when the name is taken.",
        **_COMMON,
        request=NextCycleSerializer,
        responses={201: ReviewCycleSerializer, **WRITE_ERRORS},
    ),
    add_late=extend_schema(
        summary="Add a late joiner to a running cycle",
        **_COMMON,
        request=AddLateSerializer,
        responses={201: ParticipantSerializer, **WRITE_ERRORS},
    ),
)
class ReviewCycleViewSet(OrgViewSet):
    model = ReviewCycle
    serializer_class = ReviewCycleSerializer
    lookup_url_kwarg = "cycle_id"
    present_fresh = True
    filter_backends: list[Any] = []
    required_scopes = {
        "list": READ,
        "retrieve": READ,
        "create": WRITE,
        "update": WRITE,
        "launch": WRITE,
        "add_late": WRITE,
        "next": WRITE,
    }

    def get_queryset(self) -> QuerySet[ReviewCycle]:
        return selectors.cycle_list().prefetch_related("phases", "teams").order_by("id")

    def _cycle(self) -> ReviewCycle:
        return selectors.cycle_get(cycle_id=self.object_id())

    def list(self, request: Request, org_slug: str) -> Response:
        _require_read(self.actor)
        return self.page(self.get_queryset())

    def retrieve(self, request: Request, org_slug: str, cycle_id: str) -> Response:
        _require_read(self.actor)
        return self.present(self._cycle())

    def create(self, request: Request, org_slug: str) -> Response:
        data = self.parse(ReviewCycleWriteSerializer)
        phases = data.pop("phases", None)
        arguments = ReviewCycleWriteSerializer.service_arguments(data)
        with transaction.atomic():
            cycle = configure.cycle_create(actor=self.actor, **arguments)
            _set_phases(self.actor, cycle, phases)
        return self.present(cycle, status.HTTP_201_CREATED)

    def update(self, request: Request, org_slug: str, cycle_id: str) -> Response:
        cycle = self._cycle()
        data = self.parse(ReviewCycleWriteSerializer)
        phases = data.pop("phases", None)
        arguments = ReviewCycleWriteSerializer.service_arguments(data)
        with transaction.atomic():
            cycle = configure.cycle_update(actor=self.actor, cycle=cycle, **arguments)
            _set_phases(self.actor, cycle, phases)
        return self.present(cycle)

    @action(detail=True, methods=["post"])
    def launch(self, request: Request, org_slug: str, cycle_id: str) -> Response:
        cycle = launching.cycle_launch(actor=self.actor, cycle=self._cycle())
        return self.present(cycle, status.HTTP_202_ACCEPTED)

    @action(detail=True, methods=["post"])
    def next(self, request: Request, org_slug: str, cycle_id: str) -> Response:
        source = self._cycle()
        data = self.parse(NextCycleSerializer)
        proposal = next_cycle.next_cycle_proposal(source)
        if data.get("name"):
            proposal = replace(proposal, name=data["name"])
        cycle = next_cycle.cycle_create_next(actor=self.actor, source=source, next_cycle=proposal)
        return self.present(cycle, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path="add-late")
    def add_late(self, request: Request, org_slug: str, cycle_id: str) -> Response:
        cycle = self._cycle()
        data = self.parse(AddLateSerializer)
        participant = people.participant_add_late(
            actor=self.actor, cycle=cycle, membership=data["membership"]
        )
        fresh = selectors.participant_get(participant_id=participant.pk)
        data = ParticipantSerializer(fresh, context=self.present_context()).data
        return Response(data, status=status.HTTP_201_CREATED)


class ParticipantFilter(django_filters.FilterSet):
    cycle = IdFilter(help_text="Id of the review cycle.")
    reviewee = IdFilter(help_text="Id of the person reviewed.")
    manager = IdFilter(help_text="Id of the person who writes the manager review.")

    class Meta:
        model = Participant
        fields = ["cycle", "reviewee", "manager"]


@extend_schema_view(
    list=extend_schema(
        summary="List participants of review cycles",
        **_COMMON,
        responses={200: ParticipantSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Get a participant", **_COMMON, responses={200: ParticipantSerializer, **GET_ERRORS}
    ),
    extend=extend_schema(
        summary="Extend one person's deadline",
        description="`until` must be later than the phase's closing.",
        **_COMMON,
        request=ExtendSerializer,
        responses={200: ParticipantSerializer, **WRITE_ERRORS},
    ),
    reopen=extend_schema(
        summary="Reopen a submitted review with a reason",
        description="Audited; the author is told and has until `until` to write.",
        **_COMMON,
        request=ReopenSerializer,
        responses={200: ParticipantSerializer, **WRITE_ERRORS},
    ),
)
class ParticipantViewSet(OrgViewSet):
    model = Participant
    serializer_class = ParticipantSerializer
    filterset_class = ParticipantFilter
    filter_backends = [SelectorFilterBackend]
    lookup_url_kwarg = "participant_id"
    present_fresh = True
    required_scopes = {"list": READ, "retrieve": READ, "extend": WRITE, "reopen": WRITE}

    def get_queryset(self) -> QuerySet[Participant]:
        return selectors.participant_list()

    def _participant(self) -> Participant:
        return selectors.participant_get(participant_id=self.object_id())

    def list(self, request: Request, org_slug: str) -> Response:
        _require_read(self.actor)
        filters = parsed_filters(ParticipantFilter, request)
        participants = selectors.participant_list(
            cycle=None,
            reviewee_id=filters.get("reviewee"),
            manager_id=filters.get("manager"),
        )
        if filters.get("cycle") is not None:
            participants = participants.filter(cycle_id=filters["cycle"])
        return self.page(participants)

    def retrieve(self, request: Request, org_slug: str, participant_id: str) -> Response:
        _require_read(self.actor)
        return self.present(self._participant())

    @action(detail=True, methods=["post"])
    def extend(self, request: Request, org_slug: str, participant_id: str) -> Response:
        participant = self._participant()
        data = self.parse(ExtendSerializer)
        participant = people.participant_extend(
            actor=self.actor,
            participant=participant,
            kind=data["reviewer_kind"],
            until=data["until"],
        )
        return self.present(participant)

    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, org_slug: str, participant_id: str) -> Response:
        participant = self._participant()
        data = self.parse(ReopenSerializer)
        review = next((r for r in participant.reviews.all() if r.pk == data["review"]), None)
        if review is None:
            raise NotFoundError("No such review.")
        people.review_reopen(
            actor=self.actor, review=review, reason=data["reason"], until=data["until"]
        )
        return self.present(participant)
