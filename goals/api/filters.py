"""Query parameters of the goal lists."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from perfmgmt.api.filters import IdFilter, UtcDateTimeFilter, parsed_filters

from .. import selectors
from ..models import Confidence, Goal, GoalStatus, GoalType, GoalUpdate, OwnerKind
from ..serializers import STATUS_SCHEMA


@extend_schema_field(STATUS_SCHEMA)
class GoalStatusFilter(django_filters.ChoiceFilter):
    """Documented inline: `status` is also the name of the people status enum."""


class GoalFilter(django_filters.FilterSet):
    """The goal lists' query parameters, parsed and documented here; `selectors.goal_list`
    applies them, with the same rules as the pages."""

    owner = IdFilter(field_name="owner_person_id", help_text="Id of the person who owns it.")
    team = IdFilter(help_text="Team id: the team's and its people's goals.")
    owner_kind = django_filters.ChoiceFilter(choices=OwnerKind.choices)
    status = GoalStatusFilter(choices=GoalStatus.choices)
    goal_type = django_filters.ChoiceFilter(choices=GoalType.choices)
    parent = IdFilter(field_name="parent_id", help_text="Id of the goal they support.")
    period = django_filters.CharFilter(
        help_text="Goals whose dates overlap a year (2026), quarter (2026-Q4) or month (2026-11).",
    )
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")

    class Meta:
        model = Goal
        fields = ["owner", "team", "owner_kind", "status", "goal_type", "parent"]


def _period(value: str) -> tuple[Any, Any] | None:
    if not value:
        return None
    try:
        return selectors.period_bounds(value)
    except ValueError as error:
        raise ValidationError({"period": [str(error)]}) from None


def goal_filters(request: Request) -> dict[str, Any]:
    """The list filters of a request as `goal_list` arguments; 400 with field messages."""
    data = parsed_filters(GoalFilter, request)
    return {
        "owner_id": data.get("owner"),
        "team_id": data.get("team"),
        "owner_kind": data.get("owner_kind") or None,
        "status": data.get("status") or None,
        "goal_type": data.get("goal_type") or None,
        "parent_id": data.get("parent"),
        "period": _period(data.get("period") or ""),
        "due_before": data.get("due_before"),
        "due_after": data.get("due_after"),
    }


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
