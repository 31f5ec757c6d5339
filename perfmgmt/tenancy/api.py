"""People over the REST API: /api/v1/orgs/<org_slug>/members/.

Thin: parse input, call one selector or service, serialize. Rules live in services.py,
selectors.py and policies.py, shared with the web pages.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet
from perfmgmt.api.filters import IdFilter, SelectorFilterBackend, parsed_filters
from perfmgmt.api.models import Scope
from perfmgmt.api.schema import ORG_SLUG_PARAMETER, RETRY_AFTER_HEADER, error_responses

from . import policies, selectors, services
from .models import Membership, MembershipStatus, Role
from .serializers import (
    MEMBER_JSON,
    MemberCreateSerializer,
    MemberSerializer,
    MemberUpdateSerializer,
)


class MemberFilter(django_filters.FilterSet):
    """The list's query parameters, parsed and documented here; `selectors.member_list`
    applies them with the same rules as the responses."""

    status = django_filters.ChoiceFilter(choices=MembershipStatus.choices)
    role = django_filters.ChoiceFilter(choices=Role.choices)
    team = IdFilter(field_name="team_id", help_text="Team id.")
    manager = IdFilter(field_name="manager_id", help_text="Id of the direct manager.")
    external_id = django_filters.CharFilter(
        help_text="Exact id in your HR system; finds only people whose details you may see."
    )
    search = django_filters.CharFilter(help_text="Part of the name, email, job title or team name.")

    class Meta:
        model = Membership
        fields = ["status", "role", "team", "manager", "external_id", "search"]


def member_filters(request: Request) -> dict[str, Any]:
    """The list filters of a request as `member_list` arguments; 400 with field messages."""
    data = parsed_filters(MemberFilter, request)
    return {
        "status": data.get("status") or None,
        "role": data.get("role") or None,
        "team_id": data.get("team"),
        "manager_id": data.get("manager"),
        "external_id": data.get("external_id") or "",
        "search": data.get("search") or "",
    }


_MEMBER_RESPONSE = OpenApiResponse(MemberSerializer, description="The person.")
_COMMON: dict[str, Any] = {
    "tags": ["members"],
    "parameters": [ORG_SLUG_PARAMETER, RETRY_AFTER_HEADER],
}


@extend_schema_view(
    list=extend_schema(
        summary="List people",
        description=(
            "Everyone in the organization; people who left only for HR admins and API keys "
            "(filter by `status`). Ordered by id; follow `next` to walk all pages."
        ),
        **_COMMON,
        responses={200: MemberSerializer(many=True), **error_responses(400, 401, 403, 404, 429)},
    ),
    retrieve=extend_schema(
        summary="Get a person",
        **_COMMON,
        responses={200: _MEMBER_RESPONSE, **error_responses(401, 403, 404, 429)},
    ),
    create=extend_schema(
        summary="Invite a person",
        description=(
            "Adds the person as invited and, unless `send_invitation` is false, emails them a "
            "link to join. Granting HR admin or owner rights needs an owner's session."
        ),
        **_COMMON,
        request=MemberCreateSerializer,
        responses={
            201: _MEMBER_RESPONSE,
            **error_responses(400, 401, 403, 404, 409, 429),
        },
    ),
    partial_update=extend_schema(
        summary="Change a person",
        description="Only the fields sent change. The change is recorded in the audit log.",
        **_COMMON,
        request=MemberUpdateSerializer,
        responses={200: _MEMBER_RESPONSE, **error_responses(400, 401, 403, 404, 409, 429)},
    ),
    deactivate=extend_schema(
        summary="Deactivate a person",
        description=(
            "The person leaves: they lose access, nothing of theirs is deleted, and their "
            "reports move to their manager. Doing it twice changes nothing."
        ),
        **_COMMON,
        request=None,
        responses={200: _MEMBER_RESPONSE, **error_responses(401, 403, 404, 429)},
    ),
    reactivate=extend_schema(
        summary="Reactivate a person",
        description="Gives a person who left their access back. Doing it twice changes nothing.",
        **_COMMON,
        request=None,
        responses={200: _MEMBER_RESPONSE, **error_responses(401, 403, 404, 429)},
    ),
)
class MemberViewSet(OrgViewSet):
    model = Membership
    serializer_class = MemberSerializer
    # MemberFilter parses and documents the query parameters; `member_list` applies them.
    filter_backends = [SelectorFilterBackend]
    filterset_class = MemberFilter
    lookup_url_kwarg = "member_id"
    required_scopes = {
        "list": Scope.MEMBERS_READ,
        "retrieve": Scope.MEMBERS_READ,
        "create": Scope.MEMBERS_WRITE,
        "partial_update": Scope.MEMBERS_WRITE,
        "deactivate": Scope.MEMBERS_WRITE,
        "reactivate": Scope.MEMBERS_WRITE,
    }

    def get_queryset(self) -> QuerySet[Membership]:
        return selectors.member_list(actor=self.actor, include_left=True)

    def _member(self) -> Membership:
        return selectors.member_get(member_id=self.object_id(), actor=self.actor)

    def _require_directory(self) -> None:
        if not policies.can_view_directory(self.actor):
            raise PermissionDenied(_("You may not see the people of this organization."))

    def present_context(self) -> dict[str, Any]:
        visible = lambda target: policies.can_view_member_details(self.actor, target)  # noqa: E731
        return {"details_visible": visible}

    def list(self, request: Request, org_slug: str) -> Response:
        self._require_directory()
        members = selectors.member_rows(
            actor=self.actor, include_left=True, **member_filters(request)
        )
        return self.page(members, rows=MEMBER_JSON)

    def retrieve(self, request: Request, org_slug: str, member_id: str) -> Response:
        self._require_directory()
        return self.present(self._member())

    def create(self, request: Request, org_slug: str) -> Response:
        data = self.parse(MemberCreateSerializer)
        send_email = data.pop("send_invitation")
        member = services.member_invite(actor=self.actor, send_email=send_email, **data)
        return self.present(member, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, org_slug: str, member_id: str) -> Response:
        member = self._member()
        data = self.parse(MemberUpdateSerializer, partial=True)
        return self.present(services.member_update(actor=self.actor, member=member, **data))

    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, org_slug: str, member_id: str) -> Response:
        return self.present(services.member_deactivate(actor=self.actor, member=self._member()))

    @action(detail=True, methods=["post"])
    def reactivate(self, request: Request, org_slug: str, member_id: str) -> Response:
        return self.present(services.member_reactivate(actor=self.actor, member=self._member()))
