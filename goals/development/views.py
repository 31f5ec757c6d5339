"""Development plan pages: my plan(s), a plan, and the competency framework.

Thin views over the same services and selectors as the API. A plan one may not see is a
404 like another organization's; a role that may not do something gets 403; a failed form
comes back filled in with its errors (status 400).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from perfmgmt.errors import DomainError
from perfmgmt.tenancy.models import Team
from perfmgmt.tenancy.selectors import report_ids
from perfmgmt.web.base import OrgView
from perfmgmt.web.links import optional_reverse

from . import policies, selectors, services
from .forms import (
    ActionForm,
    ActionStatusForm,
    AgreeForm,
    CategoryForm,
    CommentForm,
    CompetencyForm,
    ObjectiveEditForm,
    ObjectiveForm,
    PlanCompetencyForm,
    PlanForm,
    person_choices,
)
from .models import (
    ActionStatus,
    Competency,
    CompetencyCategory,
    DevelopmentObjective,
    DevelopmentPlan,
    PlanCompetency,
    PlanStatus,
)

PLANS_PAGE_SIZE = 50


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _coaching_records(actor: Any, plan: DevelopmentPlan) -> list[Any]:
    """The feedback app's coaching records about the person that the viewer may read."""
    try:
        from feedback.selectors import coaching_records_for
    except ImportError:  # the monitoring part is not installed
        return []
    return list(coaching_records_for(actor=actor, person=plan.person)[:20])


class DevelopmentView(OrgView):
    def plan_url(self, plan: DevelopmentPlan) -> str:
        return reverse("development:plan", args=[self.organization.slug, plan.pk])

    def plan(self, plan_id: Any) -> DevelopmentPlan:
        return selectors.plan_get(actor=self.membership, plan_id=plan_id)

    def page(self, plan: DevelopmentPlan, status: int = 200, **forms: Any) -> HttpResponse:
        actor = self.membership
        objectives = selectors.plan_objectives(plan=plan)
        can_edit = policies.can_edit_plan(actor, plan)
        owners = selectors.action_owner_choices(plan=plan)
        defaults: dict[str, Any] = {
            "objective_form": ObjectiveForm() if can_edit else None,
            "competency_form": PlanCompetencyForm() if can_edit else None,
            "action_form": ActionForm(owners=owners, initial={"owner": plan.person_id})
            if can_edit
            else None,
            "comment_form": CommentForm() if policies.can_comment_plan(actor, plan) else None,
            "agree_form": AgreeForm()
            if policies.can_agree_plan(actor, plan) and plan.status == PlanStatus.SUBMITTED
            else None,
        }
        defaults.update(forms)
        context = {
            "plan": plan,
            "progress": selectors.plan_progress(plan=plan, objectives=objectives),
            "objectives": [
                (
                    objective,
                    optional_reverse(
                        "goals:detail", org_slug=self.organization.slug, goal_id=objective.goal_id
                    ),
                )
                for objective in objectives
            ],
            "plan_competencies": selectors.plan_competencies(plan=plan),
            "actions": selectors.plan_actions(plan=plan),
            "action_statuses": ActionStatus.choices,
            "coaching_records": _coaching_records(actor, plan),
            "is_person": actor.pk == plan.person_id,
            "can_edit": can_edit,
            "can_submit": policies.can_submit_plan(actor, plan) and plan.status == PlanStatus.DRAFT,
            "can_close": policies.can_close_plan(actor, plan),
            **defaults,
        }
        return render(self.request, "goals/development/plan.html", context, status=status)


class HomeView(DevelopmentView):
    """My plans, and the plans of the people I may see (reports; everyone for HR)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        actor = self.membership
        status = request.GET.get("status", "")
        status = status if status in PlanStatus.values else ""
        period = request.GET.get("period", "").strip()[:40]
        team_id = _int_or_none(request.GET.get("team"))
        mine = list(selectors.plan_list(actor=actor, person_id=actor.pk))
        others = selectors.plan_list(
            actor=actor, status=status or None, period=period or None, team_id=team_id
        ).exclude(person_id=actor.pk)
        others = others.order_by("person__user__full_name", "-period_start", "id")
        page = Paginator(others, PLANS_PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "mine": [(plan, selectors.plan_progress(plan=plan)) for plan in mine],
            "page": page,
            "others": [(plan, selectors.plan_progress(plan=plan)) for plan in page],
            "sees_others": policies.can_view_all_plans(actor) or bool(report_ids(manager=actor)),
            "statuses": PlanStatus.choices,
            "status": status,
            "period": period,
            "team_id": team_id,
            "teams": Team.objects.all() if policies.can_view_all_plans(actor) else [],
        }
        return render(request, "goals/development/home.html", context)


class PlanCreateView(DevelopmentView):
    def people(self) -> QuerySet[Any]:
        return person_choices(actor=self.membership, report_ids=report_ids(manager=self.membership))

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        form = PlanForm(
            people=self.people(),
            initial={
                "person": self.membership.pk,
                "period": str(today.year),
                "period_start": today.replace(month=1, day=1),
                "period_end": today.replace(month=12, day=31),
            },
        )
        return self.show(form)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PlanForm(request.POST, people=self.people())
        if form.is_valid():
            try:
                plan = services.plan_create(actor=self.membership, **form.cleaned_data)
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, f"Plan for {plan.period} started.")
                return redirect(self.plan_url(plan))
        return self.show(form, status=400)

    def show(self, form: PlanForm, status: int = 200) -> HttpResponse:
        return render(
            self.request, "goals/development/plan_form.html", {"form": form}, status=status
        )


class PlanView(DevelopmentView):
    """The plan page: progress, objectives, competencies, actions, comments, coaching."""

    def get(self, request: HttpRequest, plan_id: int) -> HttpResponse:
        return self.page(self.plan(plan_id))


class PlanEditView(DevelopmentView):
    def editable(self, plan_id: int) -> DevelopmentPlan:
        plan = self.plan(plan_id)
        if not policies.can_edit_plan(self.membership, plan):
            raise PermissionDenied
        return plan

    def get(self, request: HttpRequest, plan_id: int) -> HttpResponse:
        plan = self.editable(plan_id)
        return self.show(PlanForm(plan=plan), plan)

    def post(self, request: HttpRequest, plan_id: int) -> HttpResponse:
        plan = self.editable(plan_id)
        form = PlanForm(request.POST, plan=plan)
        if form.is_valid():
            try:
                services.plan_update(actor=self.membership, plan=plan, **form.cleaned_data)
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, "Plan saved.")
                return redirect(self.plan_url(plan))
        return self.show(form, plan, status=400)

    def show(self, form: PlanForm, plan: DevelopmentPlan, status: int = 200) -> HttpResponse:
        context = {"form": form, "plan": plan}
        return render(self.request, "goals/development/plan_form.html", context, status=status)


class _PlanPost(DevelopmentView):
    """A POST on a plan that redirects back to it, or shows it again with the error."""

    http_method_names = ["post"]
    changes_content = False  # adds to the plan: only its two sides, while it is open

    def post(self, request: HttpRequest, plan_id: int) -> HttpResponse:
        plan = self.plan(plan_id)
        if self.changes_content and not policies.can_edit_plan(self.membership, plan):
            if plan.status != PlanStatus.CLOSED:
                raise PermissionDenied
            messages.error(request, "This plan is closed.")
            return redirect(self.plan_url(plan))
        try:
            response = self.act(request, plan)
        except DomainError as error:
            if error.status_code == 403:
                raise PermissionDenied(error.message) from None
            messages.error(request, error.message)
            return redirect(self.plan_url(plan))
        return response or redirect(self.plan_url(plan))

    def act(self, request: HttpRequest, plan: DevelopmentPlan) -> HttpResponse | None:
        raise NotImplementedError


class PlanSubmitView(_PlanPost):
    def act(self, request: HttpRequest, plan: DevelopmentPlan) -> None:
        services.plan_submit(actor=self.membership, plan=plan)
        messages.success(request, "Sent to your manager for agreement.")


class PlanCloseView(_PlanPost):
    def act(self, request: HttpRequest, plan: DevelopmentPlan) -> None:
        services.plan_close(actor=self.membership, plan=plan)
        messages.success(request, "Plan closed.")


class PlanAgreeView(_PlanPost):
    def act(self, request: HttpRequest, plan: DevelopmentPlan) -> HttpResponse | None:
        form = AgreeForm(request.POST)
        if not form.is_valid():
            return self.page(plan, status=400, agree_form=form)
        services.plan_agree(actor=self.membership, plan=plan, **form.cleaned_data)
        messages.success(request, f"You agreed {plan.person.display_name}'s plan.")
        return None


class PlanCommentView(_PlanPost):
    def act(self, request: HttpRequest, plan: DevelopmentPlan) -> HttpResponse | None:
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                services.plan_comment(actor=self.membership, plan=plan, **form.cleaned_data)
            except DomainError as error:
                if error.status_code == 403:
                    raise
                form.add_domain_error(error)
            else:
                messages.success(request, "Comment saved.")
                return None
        return self.page(plan, status=400, comment_form=form)


class ObjectiveAddView(_PlanPost):
    changes_content = True

    def act(self, request: HttpRequest, plan: DevelopmentPlan) -> HttpResponse | None:
        form = ObjectiveForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["milestones"] = form.milestone_titles()
            try:
                services.objective_add(actor=self.membership, plan=plan, **data)
            except DomainError as error:
                if error.status_code == 403:
                    raise
                form.add_domain_error(error)
            else:
                messages.success(request, "Objective added.")
                return None
        return self.page(plan, status=400, objective_form=form)


class PlanCompetencyAddView(_PlanPost):
    changes_content = True

    def act(self, request: HttpRequest, plan: DevelopmentPlan) -> HttpResponse | None:
        form = PlanCompetencyForm(request.POST)
        if form.is_valid():
            try:
                services.plan_competency_set(actor=self.membership, plan=plan, **form.cleaned_data)
            except DomainError as error:
                if error.status_code == 403:
                    raise
                form.add_domain_error(error)
            else:
                messages.success(request, "Competency saved.")
                return None
        return self.page(plan, status=400, competency_form=form)


class ActionAddView(_PlanPost):
    changes_content = True

    def act(self, request: HttpRequest, plan: DevelopmentPlan) -> HttpResponse | None:
        form = ActionForm(request.POST, owners=selectors.action_owner_choices(plan=plan))
        if form.is_valid():
            try:
                services.action_create(actor=self.membership, plan=plan, **form.cleaned_data)
            except DomainError as error:
                if error.status_code == 403:
                    raise
                form.add_domain_error(error)
            else:
                messages.success(request, "Action added.")
                return None
        return self.page(plan, status=400, action_form=form)


class PlanCompetencyRemoveView(DevelopmentView):
    """Takes the competency named in the form (`competency`) out of the plan."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, plan_id: int) -> HttpResponse:
        plan = self.plan(plan_id)
        competency_id = _int_or_none(request.POST.get("competency"))
        links = PlanCompetency.objects.filter(plan=plan).select_related("competency")
        link = links.filter(competency_id=competency_id).first() if competency_id else None
        if link is None:
            messages.error(request, "That competency is not on this plan.")
            return redirect(self.plan_url(plan))
        try:
            services.plan_competency_remove(actor=self.membership, link=link)
        except DomainError as error:
            if error.status_code == 403:
                raise PermissionDenied(error.message) from None
            messages.error(request, error.message)
        else:
            messages.success(request, f"{link.competency.name} removed from the plan.")
        return redirect(self.plan_url(plan))


class ObjectiveEditView(DevelopmentView):
    """Change or remove an objective; on an agreed plan this asks for agreement again."""

    def objective(self, objective_id: int) -> DevelopmentObjective:
        objective = selectors.objective_get(actor=self.membership, objective_id=objective_id)
        if not policies.can_edit_plan(self.membership, objective.plan):
            raise PermissionDenied
        return objective

    def get(self, request: HttpRequest, objective_id: int) -> HttpResponse:
        objective = self.objective(objective_id)
        goal = objective.goal
        form = ObjectiveEditForm(
            initial={
                "title": goal.title,
                "description": goal.description,
                "competency": objective.competency_id,
                "due_date": goal.due_date,
            }
        )
        return self.show(form, objective)

    def post(self, request: HttpRequest, objective_id: int) -> HttpResponse:
        objective = self.objective(objective_id)
        plan_url = self.plan_url(objective.plan)
        if "remove" in request.POST:
            try:
                services.objective_remove(actor=self.membership, objective=objective)
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "Objective removed; its goal is cancelled.")
            return redirect(plan_url)
        form = ObjectiveEditForm(request.POST)
        if form.is_valid():
            try:
                services.objective_update(
                    actor=self.membership, objective=objective, **form.cleaned_data
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, "Objective saved.")
                return redirect(plan_url)
        return self.show(form, objective, status=400)

    def show(
        self, form: ObjectiveEditForm, objective: DevelopmentObjective, status: int = 200
    ) -> HttpResponse:
        context = {"form": form, "objective": objective, "plan": objective.plan}
        return render(self.request, "goals/development/objective_form.html", context, status=status)


class ActionEditView(DevelopmentView):
    def action(self, action_id: int) -> Any:
        action = selectors.action_get(actor=self.membership, action_id=action_id)
        if not policies.can_edit_plan(self.membership, action.plan):
            raise PermissionDenied
        return action

    def get(self, request: HttpRequest, action_id: int) -> HttpResponse:
        action = self.action(action_id)
        owners = selectors.action_owner_choices(plan=action.plan)
        return self.show(ActionForm(owners=owners, action=action), action)

    def post(self, request: HttpRequest, action_id: int) -> HttpResponse:
        action = self.action(action_id)
        plan_url = self.plan_url(action.plan)
        if set(request.POST) <= {"status", "csrfmiddlewaretoken"}:
            return self.quick_status(request, action, plan_url)
        form = ActionForm(request.POST, owners=selectors.action_owner_choices(plan=action.plan))
        if form.is_valid():
            try:
                services.action_update(actor=self.membership, action=action, **form.cleaned_data)
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, "Action saved.")
                return redirect(plan_url)
        return self.show(form, action, status=400)

    def quick_status(self, request: HttpRequest, action: Any, plan_url: str) -> HttpResponse:
        """The status menu on the plan page posts only the status."""
        form = ActionStatusForm(request.POST)
        if form.is_valid():
            try:
                changed = services.action_update(
                    actor=self.membership, action=action, status=form.cleaned_data["status"]
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                state = changed.get_status_display().lower()
                messages.success(request, f"“{changed.title}” is now {state}.")
        else:
            messages.error(request, "Choose a status.")
        return redirect(plan_url)

    def show(self, form: ActionForm, action: Any, status: int = 200) -> HttpResponse:
        context = {"form": form, "action": action, "plan": action.plan}
        return render(self.request, "goals/development/action_form.html", context, status=status)


# --- The competency framework -------------------------------------------------------------


class FrameworkView(DevelopmentView):
    def get(self, request: HttpRequest) -> HttpResponse:
        can_manage = policies.can_manage_framework(self.membership)
        context = {
            "framework": selectors.framework(include_retired=can_manage),
            "can_manage": can_manage,
        }
        return render(request, "goals/development/framework.html", context)


class _FrameworkEdit(DevelopmentView):
    permission_check = staticmethod(policies.can_manage_framework)

    def framework_url(self) -> str:
        return reverse("development:framework", args=[self.organization.slug])


class CategoryCreateView(_FrameworkEdit):
    def get(self, request: HttpRequest) -> HttpResponse:
        return self.show(CategoryForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CategoryForm(request.POST)
        if form.is_valid():
            try:
                services.competency_category_create(actor=self.membership, **form.cleaned_data)
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, "Category added.")
                return redirect(self.framework_url())
        return self.show(form, status=400)

    def show(self, form: CategoryForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "category": None}
        return render(self.request, "goals/development/category_form.html", context, status=status)


class CategoryEditView(_FrameworkEdit):
    def get(self, request: HttpRequest, category_id: int) -> HttpResponse:
        category = selectors.competency_category_get(category_id=category_id)
        return self.show(CategoryForm(category=category), category)

    def post(self, request: HttpRequest, category_id: int) -> HttpResponse:
        category = selectors.competency_category_get(category_id=category_id)
        form = CategoryForm(request.POST, category=category)
        if form.is_valid():
            try:
                services.competency_category_update(
                    actor=self.membership, category=category, **form.cleaned_data
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, "Category saved.")
                return redirect(self.framework_url())
        return self.show(form, category, status=400)

    def show(
        self, form: CategoryForm, category: CompetencyCategory, status: int = 200
    ) -> HttpResponse:
        context = {"form": form, "category": category}
        return render(self.request, "goals/development/category_form.html", context, status=status)


class CompetencyCreateView(_FrameworkEdit):
    def get(self, request: HttpRequest) -> HttpResponse:
        initial: dict[str, Any] = {"active": True}
        category_id = _int_or_none(request.GET.get("category"))
        if category_id:
            initial["category"] = category_id
        return self.show(CompetencyForm(initial=initial))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CompetencyForm(request.POST)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in ("category", "name", "description")}
            try:
                competency = services.competency_create(
                    actor=self.membership, levels=form.levels(), **data
                )
                if not form.cleaned_data["active"]:
                    services.competency_update(
                        actor=self.membership, competency=competency, active=False
                    )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, f"{competency.name} added to the framework.")
                return redirect(self.framework_url())
        return self.show(form, status=400)

    def show(self, form: CompetencyForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "competency": None}
        return render(
            self.request, "goals/development/competency_form.html", context, status=status
        )


class CompetencyEditView(_FrameworkEdit):
    def get(self, request: HttpRequest, competency_id: int) -> HttpResponse:
        competency = selectors.competency_get(competency_id=competency_id)
        return self.show(CompetencyForm(competency=competency), competency)

    def post(self, request: HttpRequest, competency_id: int) -> HttpResponse:
        competency = selectors.competency_get(competency_id=competency_id)
        form = CompetencyForm(request.POST, competency=competency)
        if form.is_valid():
            data = {
                name: form.cleaned_data[name]
                for name in ("category", "name", "description", "active")
            }
            try:
                services.competency_update(
                    actor=self.membership, competency=competency, levels=form.levels(), **data
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, f"{competency.name} saved.")
                return redirect(self.framework_url())
        return self.show(form, competency, status=400)

    def show(self, form: CompetencyForm, competency: Competency, status: int = 200) -> HttpResponse:
        context = {"form": form, "competency": competency}
        return render(
            self.request, "goals/development/competency_form.html", context, status=status
        )
