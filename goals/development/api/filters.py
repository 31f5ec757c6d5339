"""Query filters of the development API's lists."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema_field

from perfmgmt.api.filters import IdFilter

from ..models import (
    ActionKind,
    ActionStatus,
    Competency,
    DevelopmentAction,
    DevelopmentObjective,
    DevelopmentPlan,
    PlanStatus,
)
from ..serializers import ACTION_STATUS_SCHEMA, PLAN_STATUS_SCHEMA


@extend_schema_field(PLAN_STATUS_SCHEMA)
class PlanStatusFilter(django_filters.ChoiceFilter):
    """Documented inline: other resources also have an enum called `status`."""


@extend_schema_field(ACTION_STATUS_SCHEMA)
class ActionStatusFilter(django_filters.ChoiceFilter):
    pass


class PlanFilter(django_filters.FilterSet):
    person = IdFilter(field_name="person_id", help_text="Id of the person whose plan it is.")
    team = IdFilter(field_name="person__team_id", help_text="Team id of the person.")
    status = PlanStatusFilter(choices=PlanStatus.choices)
    period = django_filters.CharFilter(field_name="period", lookup_expr="iexact")
    ends_before = django_filters.DateFilter(field_name="period_end", lookup_expr="lte")
    ends_after = django_filters.DateFilter(field_name="period_end", lookup_expr="gte")

    class Meta:
        model = DevelopmentPlan
        fields = ["person", "team", "status", "period"]


class ActionFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="plan_id")
    owner = IdFilter(field_name="owner_id", help_text="Id of the person who owns the action.")
    person = IdFilter(field_name="plan__person_id", help_text="Id of the plan's person.")
    team = IdFilter(field_name="plan__person__team_id", help_text="Team id of the plan's person.")
    status = ActionStatusFilter(choices=ActionStatus.choices)
    kind = django_filters.ChoiceFilter(choices=ActionKind.choices)
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")

    class Meta:
        model = DevelopmentAction
        fields = ["plan", "owner", "person", "team", "status", "kind"]


class CompetencyFilter(django_filters.FilterSet):
    category = IdFilter(field_name="category_id")
    active = django_filters.BooleanFilter()
    search = django_filters.CharFilter(help_text="Part of the name or the description.")

    class Meta:
        model = Competency
        fields = ["category", "active"]


class ObjectiveFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="plan_id")
    person = IdFilter(field_name="plan__person_id", help_text="Id of the plan's person.")
    competency = IdFilter(field_name="competency_id")

    class Meta:
        model = DevelopmentObjective
        fields = ["plan", "person", "competency"]
