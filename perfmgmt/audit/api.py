"""GET /api/v1/orgs/<slug>/audit-entries/ and /<id>/: the audit trail, read-only.

For HR admins and owners, and API keys with the `audit:read` scope. The same filters as the
page; keyset pages newest first (`next` only: the trail is read forwards from now).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers
from rest_framework.pagination import BasePagination, CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from perfmgmt.api.base import OrgViewSet
from perfmgmt.api.filters import IdFilter
from perfmgmt.api.models import Scope

from . import actions, selectors
from .models import AuditEntry
from .paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, InvalidCursor, Position, keyset_page


class AuditEntrySerializer(serializers.ModelSerializer[AuditEntry]):
    actor = serializers.IntegerField(source="actor_membership_id", allow_null=True)
    action_label = serializers.SerializerMethodField()
    group = serializers.SerializerMethodField()
    target_name = serializers.CharField(allow_null=True, read_only=True)
    changes = serializers.JSONField(help_text="What changed: pairs are [before, after].")

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "created_at",
            "actor",
            "actor_label",
            "action",
            "action_label",
            "group",
            "target_type",
            "target_id",
            "target_name",
            "changes",
        ]
        read_only_fields = fields

    def get_action_label(self, entry: AuditEntry) -> str:
        return actions.action_label(entry.action)

    def get_group(self, entry: AuditEntry) -> str | None:
        group = actions.group_of(entry.action)
        return None if group is None else group.key


class _RangeForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "Choose a day on or after `since`.")
        return data


class AuditEntryFilter(django_filters.FilterSet):
    """Parsed and documented here; `selectors.audit_entry_list` applies them."""

    actor = IdFilter(help_text="Id of the person who made the change.")
    who = django_filters.CharFilter(help_text="Part of the name of who made the change.")
    action = django_filters.CharFilter(help_text="An action name, such as member.update.")
    group = django_filters.ChoiceFilter(choices=[(g.key, g.key) for g in actions.GROUPS])
    target_type = django_filters.CharFilter(help_text="A model label, such as goals.Goal.")
    person = IdFilter(help_text="Id of the person the entry is about.")
    since = django_filters.DateFilter(help_text="First day, in the organization's time zone.")
    until = django_filters.DateFilter(help_text="Last day, in the organization's time zone.")

    class Meta:
        model = AuditEntry
        fields: list[str] = []
        form = _RangeForm


class AuditKeysetPagination(BasePagination):
    """Pages newest first by (created_at, id); `next` is null on the last page."""

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any]:
        self.request = request
        page = keyset_page(queryset, position=self._position(request), size=self._size(request))
        self.next_position = page.next
        return page.entries

    def _position(self, request: Request) -> Position | None:
        cursor = request.query_params.get(self.cursor_query_param)
        if not cursor:
            return None
        try:
            return Position.decode(cursor)
        except InvalidCursor:
            raise exceptions.ValidationError(
                # The words of every other API list (DRF's cursor pages), translated.
                {self.cursor_query_param: [CursorPagination.invalid_cursor_message]}
            ) from None

    def _size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return DEFAULT_PAGE_SIZE
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
            message = f"A whole number from 1 to {MAX_PAGE_SIZE}."
            raise exceptions.ValidationError({self.page_size_query_param: [message]})
        return int(raw)

    def get_paginated_response(self, data: Any) -> Response:
        following = None
        if self.next_position is not None:
            url = self.request.build_absolute_uri()
            following = replace_query_param(
                url, self.cursor_query_param, self.next_position.encode()
            )
        return Response(OrderedDict([("next", following), ("results", data)]))

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {"type": "string", "format": "uri", "nullable": True},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The page after the one whose `next` link carried it.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Entries per page, 1 to {MAX_PAGE_SIZE}.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]


@extend_schema_view(
    list=extend_schema(summary="List audit entries, newest first"),
    retrieve=extend_schema(summary="Read one audit entry"),
)
class AuditEntryViewSet(OrgViewSet):
    model = AuditEntry
    selector = staticmethod(selectors.audit_entry_list)
    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilter
    pagination_class = AuditKeysetPagination
    lookup_url_kwarg = "audit_entry_id"
    required_scopes = {"list": Scope.AUDIT_READ, "retrieve": Scope.AUDIT_READ}

    def list(self, request: Request, org_slug: str) -> Response:
        return self.page(self.listed())

    def retrieve(self, request: Request, org_slug: str, audit_entry_id: str) -> Response:
        entry = selectors.audit_entry_get(actor=self.actor, entry_id=self.object_id())
        return self.present(entry)
