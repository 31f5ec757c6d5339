"""Development plan pages: my plan(s), a plan, and the competency framework.

Thin views over the same services and selectors as the API. A plan one may not see is a
404 like another organization's; a role that may not do something gets 403; a failed form
comes back filled in with its errors (status 400).
"""

from ._base import DevelopmentView
from .contents import (
    ActionAddView,
    ActionEditView,
    ObjectiveAddView,
    ObjectiveEditView,
    PlanCompetencyAddView,
    PlanCompetencyRemoveView,
)
from .framework import (
    CategoryCreateView,
    CategoryEditView,
    CompetencyCreateView,
    CompetencyEditView,
    FrameworkView,
)
from .plans import (
    PLANS_PAGE_SIZE,
    HomeView,
    PlanAgreeView,
    PlanCloseView,
    PlanCommentView,
    PlanCreateView,
    PlanEditView,
    PlanSubmitView,
    PlanView,
)

__all__ = [
    "PLANS_PAGE_SIZE",
    "ActionAddView",
    "ActionEditView",
    "CategoryCreateView",
    "CategoryEditView",
    "CompetencyCreateView",
    "CompetencyEditView",
    "DevelopmentView",
    "FrameworkView",
    "HomeView",
    "ObjectiveAddView",
    "ObjectiveEditView",
    "PlanAgreeView",
    "PlanCloseView",
    "PlanCommentView",
    "PlanCompetencyAddView",
    "PlanCompetencyRemoveView",
    "PlanCreateView",
    "PlanEditView",
    "PlanSubmitView",
    "PlanView",
]
