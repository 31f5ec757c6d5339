"""Development plans, actions and the competency framework over the REST API.

    /api/v1/orgs/<org_slug>/development/plans/                 (+ submit, comment, agree,
                                                                close, objectives, competencies)
    /api/v1/orgs/<org_slug>/development/actions/
    /api/v1/orgs/<org_slug>/development/competencies/
    /api/v1/orgs/<org_slug>/development/competency-categories/

Thin: parse input, call one service or selector, serialize. A plan the caller may not read
is a 404, exactly like another organization's id.
"""

from ._schema import READ, WRITE
from .actions import DevelopmentActionViewSet
from .filters import (
    ActionFilter,
    ActionStatusFilter,
    CompetencyFilter,
    IdFilter,
    ObjectiveFilter,
    PlanFilter,
    PlanStatusFilter,
)
from .framework import CompetencyCategoryViewSet, CompetencyViewSet
from .objectives import DevelopmentObjectiveViewSet
from .plans import DevelopmentPlanViewSet, plan_api_queryset

__all__ = [
    "READ",
    "WRITE",
    "ActionFilter",
    "ActionStatusFilter",
    "CompetencyCategoryViewSet",
    "CompetencyFilter",
    "CompetencyViewSet",
    "DevelopmentActionViewSet",
    "DevelopmentObjectiveViewSet",
    "DevelopmentPlanViewSet",
    "IdFilter",
    "ObjectiveFilter",
    "PlanFilter",
    "PlanStatusFilter",
    "plan_api_queryset",
]
