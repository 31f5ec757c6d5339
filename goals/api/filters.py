"""Query parameters of the goal lists."""

from __future__ import annotations

from datetime import date
from typing import Any

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

from perfmgmt.api.filters import IdFilter, UtcDateTimeFilter

from .. import selectors
from ..models import Confidence, Goal, GoalStatus, GoalType, GoalUpdate, OwnerKind
from ..serializers import STATUS_SCHEMA


class PeriodField(forms.CharField):
    """A year (2026), quarter (2026-Q4) or month (2026-11), as its (first, last) days."""

    def clean(self, value: Any) -> tuple[date, date] | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return selectors.period_bounds(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class PeriodFilter(django_filters.CharFilter):
    field_class = PeriodField


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
    period = PeriodFilter(
        help_text="Goals whose dates overlap a year (2026), quarter (2026-Q4) or month (2026-11).",
    )
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")

    class Meta:
        model = Goal
        fields = ["owner", "team", "owner_kind", "status", "goal_type", "parent"]


class GoalUpdateFilter(django_filters.FilterSet):
    """Parsed and documented here; `selectors.goal_update_list` applies them."""

    goal = IdFilter(field_name="goal_id")
    author = IdFilter(field_name="author_id", help_text="Id of the person who posted it.")
    confidence = django_filters.ChoiceFilter(choices=Confidence.choices)
    created_after = UtcDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = UtcDateTimeFilter(field_name="created_at", lookup_expr="lt")
    period = PeriodFilter(
        help_text="Posted in a year (2026), quarter (2026-Q4) or month (2026-11), in UTC.",
    )

    class Meta:
        model = GoalUpdate
        fields = ["goal", "author", "confidence"]
