"""The goal tree page and its parts loaded on demand (htmx): the goals under a goal and
more top goals. Thin views over `goals.tree`; each part answers the same 404 as the page
for a goal that is not on the reader's tree."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from perfmgmt.web.trees import Level, start_of

from . import tree
from .models import Goal
from .views import GoalsView


class GoalTreeView(GoalsView):
    """The tree from the top (or opened at one goal, `?root=`)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        actor = self.membership
        start = start_of(request.GET.get("start"))
        root_id = request.GET.get("root")
        context: dict[str, Any] = {}
        if root_id:
            goal = tree.tree_goal_get(actor=actor, goal_id=root_id)
            context.update(
                focus=goal,
                chain=tree.goal_tree_chain(actor=actor, goal=goal),
                tree=tree.goal_tree_from(actor=actor, goal=goal, start=start),
            )
        else:
            context["tree"] = tree.goal_tree(actor=actor, start=start)
        return self.render_page("goals/tree.html", context)


def _level(request: HttpRequest, level: Level[Goal], parent: Goal | None) -> HttpResponse:
    # The first goal loaded takes the id of the "more" link it replaces, so focus moves to
    # it (static/js/htmx-focus.js) instead of dropping to the page.
    key = parent.pk if parent is not None else "top"
    context = {"level": level, "parent": parent, "first_id": f"goal-tree-more-{key}-{level.offset}"}
    return render(request, "goals/_tree_level.html", context)


class GoalTreeTopView(GoalsView):
    """More top goals, collapsed."""

    def get(self, request: HttpRequest) -> HttpResponse:
        start = start_of(request.GET.get("start"))
        return _level(
            request, tree.goal_tree(actor=self.membership, start=start, nested=False), None
        )


class GoalTreeChildrenView(GoalsView):
    """A page of the goals under one goal, collapsed: what opening its branch loads."""

    def get(self, request: HttpRequest, goal_id: int) -> HttpResponse:
        actor = self.membership
        goal = tree.tree_goal_get(actor=actor, goal_id=goal_id)
        start = start_of(request.GET.get("start"))
        return _level(request, tree.goal_tree_children(actor=actor, goal=goal, start=start), goal)
