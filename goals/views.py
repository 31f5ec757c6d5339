"""Goal pages: my goals, my team's goals, goals needing attention, a goal's page with its
history, and the forms to propose, change, update, agree and assign goals (the goal tree is
in tree_views).

Thin views over services and selectors. A goal one may not read is a 404, exactly like
another organization's; a change one may not make is a 403.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from perfmgmt.errors import ConflictError
from perfmgmt.ids import optional_id
from perfmgmt.tenancy.models import Membership, Team
from perfmgmt.web.base import OrgView
from perfmgmt.web.form_views import OrgFormView, attempt
from perfmgmt.web.forms import add_domain_error
from perfmgmt.web.keyset import InvalidCursor, Keyset, broken_page_link

from . import policies, selectors, services
from .charts import goal_chart
from .forms import (
    AgreeForm,
    AssignForm,
    GoalCreateForm,
    GoalEditForm,
    GoalSettingsForm,
    GoalUpdateForm,
)
from .models import Goal, GoalStatus, GoalUpdate, OwnerKind
from .presenters import goal_rows, progress_explanation
from .services.progress import ProgressBreakdown

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# 50 rows: the large lists must cost about what a small organization's do (bench/pages.py);
# a row's texts are made once per page (presenters.goal_rows).
LIST_PAGE_SIZE = 50
# Newest first, on the goals' (organization, created_at, id) index: no list sorts every
# goal it may show by names, and none counts them.
GOAL_PAGES = Keyset(name="goals", order=("-created_at", "-id"))
# The same order, read from the rows each of the team list's two walks lists by.
TEAM_GOAL_PAGES = Keyset(name="team-goals", order=selectors.TEAM_GOALS_ORDER)


class GoalsView(OrgView):
    def goal_url(self, goal: Goal) -> str:
        return reverse("goals:detail", args=[self.organization.slug, goal.pk])

    def render_page(
        self, template: str, context: dict[str, Any], status: int = 200
    ) -> HttpResponse:
        context.setdefault("can_assign", policies.can_assign_goals(self.membership))
        context.setdefault("can_settings", policies.can_change_goal_settings(self.membership))
        context.setdefault("manages_people", context["can_assign"])
        return render(self.request, template, context, status=status)


class _ListView(GoalsView, ABC):
    template = "goals/list.html"
    heading: StrOrPromise = ""
    intro: StrOrPromise = ""
    empty: StrOrPromise = _("No goals here yet.")
    pages = GOAL_PAGES

    @abstractmethod
    def goals(self) -> Any:
        """The goals this list shows, before the status filter and paging: one list, or
        several the page merges (`Keyset.page`)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        status = request.GET.get("status", "")
        lists = self.goals()
        if isinstance(lists, QuerySet):
            lists = (lists,)
        if status in GoalStatus.values:
            lists = tuple(goals.filter(status=status) for goals in lists)
        try:
            page = self.pages.page(lists, request=request, size=LIST_PAGE_SIZE)
        except InvalidCursor:
            return broken_page_link(request)
        context = {
            "page": page,
            "rows": goal_rows(page.object_list, organization=self.organization),
            "heading": self.heading,
            "intro": self.intro,
            "empty": self.empty,
            "status": status,
            "statuses": GoalStatus.choices,
        }
        return self.render_page(self.template, context)


class MyGoalsView(_ListView):
    heading = _("My goals")
    intro = _("Your own goals and your team's goals.")
    empty = _("You have no goals yet. Propose one to get started.")

    def goals(self) -> Any:
        return selectors.my_goals(actor=self.membership)


class TeamGoalsView(_ListView):
    heading = _("My team's goals")
    intro = _("Goals of everyone who reports to you (directly or further down) and their teams.")
    empty = _("Nobody below you has goals yet.")
    pages = TEAM_GOAL_PAGES

    def goals(self) -> Any:
        return selectors.team_goals(actor=self.membership)


class SetForOthersView(_ListView):
    heading = _("Goals you set for others")
    intro = _(
        "Goals you proposed for other people, newest first. Each waits for its owner to agree it."
    )
    empty = _("You have not set goals for anyone yet.")

    def goals(self) -> Any:
        return selectors.goals_set_for_others(actor=self.membership)


class AttentionView(_ListView):
    heading = _("Goals that need attention")
    empty = _("Nothing is at risk and every active goal has a recent update.")

    def get(self, request: HttpRequest) -> HttpResponse:
        days = services.stale_after_days(self.organization)
        self.intro = ngettext(
            "Active goals that are at risk or off track, or not updated in %(days)d day.",
            "Active goals that are at risk or off track, or not updated in %(days)d days.",
            days,
        ) % {"days": days}
        return super().get(request)

    def goals(self) -> Any:
        return selectors.goals_needing_attention(
            actor=self.membership, organization=self.organization
        )


class _GoalPage(GoalsView):
    """The goal page; the update and agree forms come back on it when they have errors."""

    def show(
        self,
        goal: Goal,
        update_form: GoalUpdateForm | None = None,
        agree_form: AgreeForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        actor = self.membership
        capabilities = selectors.goal_capabilities(actor=actor, goal=goal)
        can_update, can_agree = capabilities.post_update, capabilities.agree
        # Loaded by selectors.goal_detail, which every goal page uses.
        history: list[GoalUpdate] = getattr(goal, "history", [])
        children: list[Goal] = getattr(goal, "visible_children", [])
        breakdown: ProgressBreakdown = goal.progress_breakdown  # type: ignore[attr-defined]
        context = {
            "goal": goal,
            "progress_how": progress_explanation(goal, breakdown, shown_below=len(children)),
            "history": list(reversed(history)),
            "chart": goal_chart(goal, history, zone=timezone.get_current_timezone()),
            "can_edit": capabilities.edit,
            "show_reward": getattr(goal, "reward_visible", False),
            "can_update": can_update,
            "can_agree": can_agree,
            "agreeing_side": policies.agreeing_side(goal),
            "update_form": update_form or (GoalUpdateForm(goal=goal) if can_update else None),
            "agree_form": agree_form or (self.agree_form(goal) if can_agree else None),
            "audience": policies.audience(
                owner_kind=goal.owner_kind,
                visibility=goal.visibility,
                person=goal.owner_person,
                team=goal.owner_team,
            ),
        }
        return self.render_page("goals/detail.html", context, status=status)

    def agree_form(self, goal: Goal, data: Any = None) -> AgreeForm:
        with_reward = policies.can_write_reward_when_agreeing(self.membership, goal)
        return AgreeForm(data, with_reward=with_reward, goal=goal)


class GoalDetailView(_GoalPage):
    def get(self, request: HttpRequest, goal_id: int) -> HttpResponse:
        goal = selectors.goal_detail(actor=self.membership, goal_id=goal_id)
        return self.show(goal)


class GoalUpdatePostView(OrgFormView, _GoalPage):
    http_method_names = ["post"]
    form_class = GoalUpdateForm
    field_aliases = {"milestones": "done_milestones"}

    @cached_property
    def goal(self) -> Goal:
        goal = selectors.goal_detail(actor=self.membership, goal_id=self.kwargs["goal_id"])
        if not policies.can_post_update(self.membership, goal):
            raise PermissionDenied
        return goal

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"goal": self.goal}

    def perform(self, form: GoalUpdateForm) -> Any:
        return services.goal_update_post(
            actor=self.membership, goal=self.goal, **form.service_arguments()
        )

    def success(self, result: Any) -> HttpResponse:
        messages.success(self.request, gettext("Update posted."))
        return redirect(self.goal_url(self.goal))

    def render_form(self, form: GoalUpdateForm, status: int = 200) -> HttpResponse:
        return self.show(self.goal, update_form=form, status=status)


class GoalAgreeView(_GoalPage):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, goal_id: int) -> HttpResponse:
        goal = selectors.goal_detail(actor=self.membership, goal_id=goal_id)
        form = self.agree_form(goal, request.POST)
        if not form.is_valid():
            return self.show(goal, agree_form=form, status=400)
        data = form.cleaned_data
        outcome = attempt(
            lambda: services.goal_agree(
                actor=self.membership,
                goal=goal,
                reward_text=data.get("reward_text") or None,
                reward_amount=data.get("reward_amount"),
                expected_version=data.get("version"),
            )
        )
        if isinstance(outcome.error, ConflictError):
            # Show the goal as it is now, with what was typed, to agree knowingly.
            goal = selectors.goal_detail(actor=self.membership, goal_id=goal_id)
            fresh = AgreeForm.after_conflict(
                request.POST, goal=goal, with_reward=form.with_reward, message=outcome.message
            )
            return self.show(goal, agree_form=fresh, status=outcome.status)
        if outcome.error is not None and form.with_reward and outcome.error.fields:
            add_domain_error(form, outcome.error)
            return self.show(goal, agree_form=form, status=outcome.status)
        if outcome.ok:
            messages.success(request, gettext("Goal agreed."))
        else:
            messages.error(request, outcome.message)
        return redirect(self.goal_url(goal))


class GoalFormView(OrgFormView, GoalsView):
    """A goal form page, with the goals pages' shared context."""

    def render_form(self, form: Any, status: int = 200) -> HttpResponse:
        context = self.get_context_data(form=form)
        return self.render_page(self.template_name, context, status=status)


class GoalCreateView(GoalFormView):
    form_class = GoalCreateForm
    template_name = "goals/form.html"

    def get_initial(self) -> dict[str, Any]:
        parent_id = optional_id(self.request.GET.get("parent"))
        return {"parent": parent_id} if parent_id else {}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"actor": self.membership}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {**context, "audience": audience_for_form(context["form"], self.membership)}

    def perform(self, form: GoalCreateForm) -> Goal:
        return services.goal_create(actor=self.membership, **form.service_arguments())

    def success(self, goal: Goal) -> HttpResponse:
        message = gettext("Goal “%(title)s” proposed.") % {"title": goal.title}
        messages.success(self.request, message)
        return redirect(self.goal_url(goal))


def audience_for_form(form: Any, actor: Membership, goal: Goal | None = None) -> str:
    """The "who will read it" sentence for what the form currently says."""
    data = form.data if form.is_bound else {}
    if goal is not None:
        owner_kind, person, team = goal.owner_kind, goal.owner_person, goal.owner_team
        default_visibility = goal.visibility
    else:
        owner_kind = data.get("owner_kind") or OwnerKind.PERSON
        person_id = optional_id(data.get("owner_person")) or (
            form.initial.get("owner_person") if not form.is_bound else None
        )
        team_id = optional_id(data.get("owner_team"))
        person = (
            Membership.objects.select_related("user", "team").filter(pk=person_id).first()
            if person_id
            else None
        )
        team = Team.objects.filter(pk=team_id).first() if team_id else None
        default_visibility = form.fields["visibility"].initial
    visibility = data.get("visibility") or default_visibility
    return policies.audience(owner_kind=owner_kind, visibility=visibility, person=person, team=team)


class AudienceView(GoalsView):
    """htmx: the sentence saying who will read the goal, as the form changes."""

    def get(self, request: HttpRequest) -> HttpResponse:
        goal_id = optional_id(request.GET.get("goal"))
        goal = selectors.goal_get(actor=self.membership, goal_id=goal_id) if goal_id else None
        form: Any
        if goal is not None:
            form = GoalEditForm(request.GET, actor=self.membership, goal=goal)
        else:
            form = GoalCreateForm(request.GET, actor=self.membership)
        sentence = audience_for_form(form, self.membership, goal)
        return render(request, "goals/_audience.html", {"audience": sentence})


class GoalEditView(GoalFormView):
    form_class = GoalEditForm
    template_name = "goals/form.html"

    @cached_property
    def goal(self) -> Goal:
        goal = selectors.goal_get(actor=self.membership, goal_id=self.kwargs["goal_id"])
        if not policies.can_edit_goal(self.membership, goal):
            raise PermissionDenied
        return goal

    def get_initial(self) -> dict[str, Any]:
        return GoalEditForm.initial_for(self.goal)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"actor": self.membership, "goal": self.goal}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        audience = audience_for_form(context["form"], self.membership, self.goal)
        return {**context, "goal": self.goal, "audience": audience}

    def perform(self, form: GoalEditForm) -> Goal:
        return services.goal_update(
            actor=self.membership,
            goal=self.goal,
            milestones=form.milestone_titles(),
            **form.changes(self.goal),
        )

    def success(self, result: Any) -> HttpResponse:
        messages.success(self.request, gettext("Goal saved."))
        return redirect(self.goal_url(self.goal))


class AssignView(GoalFormView):
    permission_check = staticmethod(policies.can_assign_goals)
    form_class = AssignForm
    template_name = "goals/assign.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"actor": self.membership}

    def perform(self, form: AssignForm) -> list[Goal]:
        return services.goal_assign_many(
            actor=self.membership, people=form.chosen_people(), **form.service_arguments()
        )

    def success(self, goals: list[Goal]) -> HttpResponse:
        message = ngettext(
            "Assigned “%(title)s” to %(count)d person.",
            "Assigned “%(title)s” to %(count)d people.",
            len(goals),
        )
        messages.success(self.request, message % {"title": goals[0].title, "count": len(goals)})
        return redirect("goals:assigned", org_slug=self.organization.slug)


class GoalSettingsView(GoalFormView):
    permission_check = staticmethod(policies.can_change_goal_settings)
    form_class = GoalSettingsForm
    template_name = "goals/settings.html"

    def get_initial(self) -> dict[str, Any]:
        return {"stale_after_days": services.stale_after_days(self.organization)}

    def perform(self, form: GoalSettingsForm) -> Any:
        return services.goal_settings_update(
            actor=self.membership,
            organization=self.organization,
            stale_after_days=form.cleaned_data["stale_after_days"],
        )

    def success(self, result: Any) -> HttpResponse:
        messages.success(self.request, gettext("Goal settings saved."))
        return redirect("goals:settings", org_slug=self.organization.slug)
