"""Peer and upward feedback over the API: nominations (list, create, approve, remove,
decline), the caller's own feedback requests, the combined results of a participant with
the anonymity threshold applied, and a cycle's settings (fixed before launch).

Keys read with `reviews:read` and act with `reviews:write`, as HR would; declining and
one's own requests are a person's (403 for a key, after the lookup so another
organization's id stays a 404). Answers are written through `reviews/reviews`.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet
from perfmgmt.api.filters import IdFilter, SelectorFilterBackend, parsed_filters
from perfmgmt.api.schema import COMMON_PARAMETERS, GET_ERRORS, LIST_ERRORS, WRITE_ERRORS
from perfmgmt.errors import PermissionDeniedError

from .. import policies
from ..models import Participant, PeerNomination, Review, ReviewCycle
from ..selectors import cycles as cycle_selectors
from ..selectors import peers as selectors
from ..serializers.peers import (
    DeclineSerializer,
    NominateSerializer,
    NominationSerializer,
    PeerRequestSerializer,
    PeerResultsSerializer,
    PeerSettingsSerializer,
)
from ..services.peers import nominations as services
from ..services.peers.settings import PeerSettings, cycle_peer_settings_set

READ, WRITE = policies.READ_SCOPE, policies.WRITE_SCOPE
_COMMON: dict[str, Any] = {"parameters": COMMON_PARAMETERS, "tags": ["peer feedback"]}


class NominationFilter(django_filters.FilterSet):
    cycle = IdFilter(help_text="Nominations of this cycle.")
    participant = IdFilter(help_text="Nominations of this participant.")

    class Meta:
        model = PeerNomination
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(
        summary="List peer nominations",
        description="Who was asked (never who answered): the reviewee's, their managers', "
        "HR's and the peer's own.",
        **_COMMON,
        responses={200: NominationSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Get a nomination", **_COMMON, responses={200: NominationSerializer, **GET_ERRORS}
    ),
    create=extend_schema(
        summary="Nominate peers",
        **_COMMON,
        request=NominateSerializer,
        responses={201: NominationSerializer(many=True), **WRITE_ERRORS},
    ),
    approve=extend_schema(
        summary="Approve a nomination",
        **_COMMON,
        request=None,
        responses={200: NominationSerializer, **WRITE_ERRORS},
    ),
    remove=extend_schema(
        summary="Remove a nomination",
        **_COMMON,
        request=None,
        responses={200: NominationSerializer, **WRITE_ERRORS},
    ),
    decline=extend_schema(
        summary="Decline a feedback request, with a reason (the peer)",
        **_COMMON,
        request=DeclineSerializer,
        responses={200: NominationSerializer, **WRITE_ERRORS},
    ),
)
class NominationViewSet(OrgViewSet):
    model = PeerNomination
    serializer_class = NominationSerializer
    lookup_url_kwarg = "nomination_id"
    filterset_class = NominationFilter
    filter_backends = [SelectorFilterBackend]
    required_scopes = {
        "list": READ,
        "retrieve": READ,
        "create": WRITE,
        "approve": WRITE,
        "remove": WRITE,
        "decline": WRITE,
    }

    def get_queryset(self) -> QuerySet[PeerNomination]:
        filters = parsed_filters(NominationFilter, self.request)
        return selectors.nomination_list(
            actor=self.actor,
            cycle_id=filters.get("cycle"),
            participant_id=filters.get("participant"),
        )

    def _nomination(self) -> PeerNomination:
        return selectors.nomination_get(actor=self.actor, nomination_id=self.object_id())

    def list(self, request: Request, org_slug: str) -> Response:
        return self.page(self.get_queryset())

    def retrieve(self, request: Request, org_slug: str, nomination_id: str) -> Response:
        return self.present(self._nomination())

    def create(self, request: Request, org_slug: str) -> Response:
        data = self.parse(NominateSerializer)
        participant: Participant = selectors.peer_participant_get(
            actor=self.actor, participant_id=data["participant"]
        )
        changed = services.peers_nominate(
            actor=self.actor, participant=participant, peers=list(dict.fromkeys(data["peers"]))
        )
        ids = [nomination.pk for nomination in changed]
        rows = self.get_queryset().filter(pk__in=ids)
        return Response(NominationSerializer(rows, many=True).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def approve(self, request: Request, org_slug: str, nomination_id: str) -> Response:
        nomination = services.nomination_approve(actor=self.actor, nomination=self._nomination())
        return self.present(nomination)

    @action(detail=True, methods=["post"])
    def remove(self, request: Request, org_slug: str, nomination_id: str) -> Response:
        nomination = services.nomination_remove(actor=self.actor, nomination=self._nomination())
        return self.present(nomination)

    @action(detail=True, methods=["post"])
    def decline(self, request: Request, org_slug: str, nomination_id: str) -> Response:
        nomination = self._nomination()
        data = self.parse(DeclineSerializer)
        declined = services.nomination_decline(
            actor=self.actor, nomination=nomination, reason=data["reason"]
        )
        return self.present(declined)


@extend_schema_view(
    list=extend_schema(
        summary="List your own feedback requests",
        description="The peer and upward reviews you write (write them through "
        "`reviews/reviews`). People only.",
        **_COMMON,
        responses={200: PeerRequestSerializer(many=True), **LIST_ERRORS},
    ),
)
class PeerRequestViewSet(OrgViewSet):
    model = Review
    serializer_class = PeerRequestSerializer
    filter_backends: list[Any] = []
    people_only = "Feedback requests are a person's own."

    def get_queryset(self) -> QuerySet[Review]:
        return selectors.peer_requests(actor=self.person())

    def list(self, request: Request, org_slug: str) -> Response:
        return self.page(self.get_queryset())


class PeerResultsViewSet(OrgViewSet):
    model = Participant
    serializer_class = PeerResultsSerializer
    lookup_url_kwarg = "participant_id"
    filter_backends: list[Any] = []
    required_scopes = {"retrieve": READ}

    @extend_schema(
        summary="A participant's combined peer and upward feedback",
        description="Each group combined, only once at least the cycle's threshold of "
        "people answered; never an author, a time, or a count below the threshold.",
        responses={200: PeerResultsSerializer, **GET_ERRORS},
        **_COMMON,
    )
    def retrieve(self, request: Request, org_slug: str, participant_id: str) -> Response:
        participant = selectors.peer_participant_get(
            actor=self.actor, participant_id=self.object_id()
        )
        return self.present(selectors.peer_results(actor=self.actor, participant=participant))


class PeerSettingsViewSet(OrgViewSet):
    model = ReviewCycle
    serializer_class = PeerSettingsSerializer
    lookup_url_kwarg = "cycle_id"
    filter_backends: list[Any] = []
    required_scopes = {"retrieve": READ, "update": WRITE}

    def _cycle(self) -> ReviewCycle:
        cycle = cycle_selectors.cycle_get(cycle_id=self.object_id())
        if not policies.can_view_all_reviews(self.actor):
            raise PermissionDeniedError(_("Only HR reads a cycle's settings."))
        return cycle

    @extend_schema(
        summary="A cycle's peer feedback settings",
        responses={200: PeerSettingsSerializer, **GET_ERRORS},
        **_COMMON,
    )
    def retrieve(self, request: Request, org_slug: str, cycle_id: str) -> Response:
        return self.present(self._cycle())

    @extend_schema(
        summary="Set a draft cycle's peer feedback settings",
        description="409 once the cycle has launched.",
        request=PeerSettingsSerializer,
        responses={200: PeerSettingsSerializer, **WRITE_ERRORS},
        **_COMMON,
    )
    def update(self, request: Request, org_slug: str, cycle_id: str) -> Response:
        cycle = self._cycle()
        data = self.parse(PeerSettingsSerializer)
        settings = PeerSettings(
            minimum=data["peer_minimum"],
            maximum=data["peer_maximum"],
            threshold=data["anonymity_threshold"],
            anonymous=data["peers_anonymous"],
            upward=data["upward_reviews"],
        )
        return self.present(
            cycle_peer_settings_set(actor=self.actor, cycle=cycle, settings=settings)
        )
