"""A plan's contents: adding and editing its objectives, competencies and actions."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from perfmgmt.ids import optional_id
from perfmgmt.web.form_views import OrgFormView, Outcome, attempt

from .. import policies, selectors, services
from ..forms import (
    ActionForm,
    ActionStatusForm,
    ObjectiveEditForm,
    ObjectiveForm,
    PlanCompetencyForm,
)
from ..models import ActionStatus, DevelopmentObjective, PlanCompetency
from ._base import DevelopmentView, _PlanForm

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# One sentence per status: a status label inside a sentence would need its own grammar.
_STATUS_NOW: dict[str, StrOrPromise] = {
    ActionStatus.NOT_STARTED: _("“%(title)s” is now not started."),
    ActionStatus.IN_PROGRESS: _("“%(title)s” is now in progress."),
    ActionStatus.DONE: _("“%(title)s” is now done."),
    ActionStatus.CANCELLED: _("“%(title)s” is now cancelled."),
}


class ObjectiveAddView(_PlanForm):
    changes_content = True
    form_class = ObjectiveForm
    form_key = "objective_form"
    success_message = _("Objective added.")

    def perform(self, form: ObjectiveForm) -> Any:
        data = {**form.cleaned_data, "milestones": form.milestone_titles()}
        return services.objective_add(actor=self.membership, plan=self.current_plan, **data)


class PlanCompetencyAddView(_PlanForm):
    changes_content = True
    form_class = PlanCompetencyForm
    form_key = "competency_form"
    success_message = _("Competency saved.")

    def perform(self, form: PlanCompetencyForm) -> Any:
        return services.plan_competency_set(
            actor=self.membership, plan=self.current_plan, **form.cleaned_data
        )


class ActionAddView(_PlanForm):
    changes_content = True
    form_class = ActionForm
    form_key = "action_form"
    success_message = _("Action added.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"owners": selectors.action_owner_choices(plan=self.current_plan)}

    def perform(self, form: ActionForm) -> Any:
        return services.action_create(
            actor=self.membership, plan=self.current_plan, **form.cleaned_data
        )


class PlanCompetencyRemoveView(DevelopmentView):
    """Takes the competency named in the form (`competency`) out of the plan."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, plan_id: int) -> HttpResponse:
        plan = self.plan(plan_id)
        competency_id = optional_id(request.POST.get("competency"))
        links = PlanCompetency.objects.filter(plan=plan).select_related("competency")
        link = links.filter(competency_id=competency_id).first() if competency_id else None
        if link is None:
            messages.error(request, gettext("That competency is not on this plan."))
            return redirect(self.plan_url(plan))
        outcome = attempt(lambda: services.plan_competency_remove(actor=self.membership, link=link))
        removed = gettext("%(competency)s removed from the plan.")
        _flash(request, outcome, removed % {"competency": link.competency.name})
        return redirect(self.plan_url(plan))


def _flash(request: HttpRequest, outcome: Outcome[Any], text: str) -> None:
    if outcome.ok:
        messages.success(request, text)
    else:
        messages.error(request, outcome.message)


class ObjectiveEditView(OrgFormView, DevelopmentView):
    """Change or remove an objective; on an agreed plan this asks for agreement again."""

    form_class = ObjectiveEditForm
    template_name = "goals/development/objective_form.html"

    @cached_property
    def objective(self) -> DevelopmentObjective:
        objective_id = self.kwargs["objective_id"]
        objective = selectors.objective_get(actor=self.membership, objective_id=objective_id)
        if not policies.can_edit_plan(self.membership, objective.plan):
            raise PermissionDenied
        return objective

    def get_initial(self) -> dict[str, Any]:
        goal = self.objective.goal
        return {
            "title": goal.title,
            "description": goal.description,
            "competency": self.objective.competency_id,
            "due_date": goal.due_date,
        }

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {**context, "objective": self.objective, "plan": self.objective.plan}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "remove" not in request.POST:
            return super().post(request, *args, **kwargs)
        objective = self.objective
        outcome = attempt(
            lambda: services.objective_remove(actor=self.membership, objective=objective)
        )
        _flash(request, outcome, gettext("Objective removed; its goal is cancelled."))
        return redirect(self.plan_url(objective.plan))

    def perform(self, form: ObjectiveEditForm) -> Any:
        return services.objective_update(
            actor=self.membership, objective=self.objective, **form.cleaned_data
        )

    def success(self, result: Any) -> HttpResponse:
        messages.success(self.request, gettext("Objective saved."))
        return redirect(self.plan_url(self.objective.plan))


class ActionEditView(OrgFormView, DevelopmentView):
    form_class = ActionForm
    template_name = "goals/development/action_form.html"

    @cached_property
    def action(self) -> Any:
        action = selectors.action_get(actor=self.membership, action_id=self.kwargs["action_id"])
        if not policies.can_edit_plan(self.membership, action.plan):
            raise PermissionDenied
        return action

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"owners": selectors.action_owner_choices(plan=self.action.plan)}
        if self.request.method == "GET":
            kwargs["action"] = self.action
        return kwargs

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {**context, "action": self.action, "plan": self.action.plan}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if set(request.POST) <= {"status", "csrfmiddlewaretoken"}:
            return self.quick_status(request, self.action)
        return super().post(request, *args, **kwargs)

    def perform(self, form: ActionForm) -> Any:
        return services.action_update(
            actor=self.membership, action=self.action, **form.cleaned_data
        )

    def success(self, result: Any) -> HttpResponse:
        messages.success(self.request, gettext("Action saved."))
        return redirect(self.plan_url(self.action.plan))

    def quick_status(self, request: HttpRequest, action: Any) -> HttpResponse:
        """The status menu on the plan page posts only the status."""
        form = ActionStatusForm(request.POST)
        if form.is_valid():
            status = form.cleaned_data["status"]
            outcome = attempt(
                lambda: services.action_update(actor=self.membership, action=action, status=status)
            )
            changed = outcome.result
            if changed is not None:
                now = _STATUS_NOW[changed.status]
                messages.success(request, now % {"title": changed.title})
            else:
                messages.error(request, outcome.message)
        else:
            messages.error(request, gettext("Choose a status."))
        return redirect(self.plan_url(action.plan))
