"""A plan's contents: adding and editing its objectives, competencies and actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from perfmgmt.errors import DomainError
from perfmgmt.ids import optional_id

from .. import policies, selectors, services
from ..forms import (
    ActionForm,
    ActionStatusForm,
    ObjectiveEditForm,
    ObjectiveForm,
    PlanCompetencyForm,
)
from ..models import DevelopmentObjective, DevelopmentPlan, PlanCompetency
from ._base import DevelopmentView, _PlanPost


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
        competency_id = optional_id(request.POST.get("competency"))
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
