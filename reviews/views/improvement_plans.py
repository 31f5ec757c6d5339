"""Improvement plan pages: the list, drafting and editing, the plan page with its steps
(submit, approve or send back, acknowledge, outcome) and its PDF. Thin: the selector says
what is read (404 for a plan the reader may not read), the services decide every change."""

from __future__ import annotations

from abc import ABC, abstractmethod
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from perfmgmt.web.base import OrgView
from perfmgmt.web.form_views import OrgFormView, attempt

from .. import policies
from ..forms.improvement_plans import (
    PLAN_FIELD_ALIASES,
    ImprovementPlanForm,
    PlanAcknowledgeForm,
    PlanOutcomeForm,
    PlanReturnForm,
    plan_initial,
)
from ..models import ImprovementPlan
from ..selectors import improvement_plans as selectors
from ..services.improvement_plans import decisions, drafting
from ..services.improvement_plans.decisions import OutcomeInput

PAGE_SIZE = 25


class ImprovementPlanListView(OrgView):
    def get(self, request: HttpRequest) -> HttpResponse:
        plans = selectors.improvement_plan_list(actor=self.membership).order_by(
            "-created_at", "-id"
        )
        page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "page": page,
            "plans": list(page),
            "can_draft": selectors.draftable_people(actor=self.membership).exists(),
        }
        return render(request, "reviews/improvement_plans/list.html", context)


class ImprovementPlanCreateView(OrgFormView):
    form_class = ImprovementPlanForm
    template_name = "reviews/improvement_plans/form.html"
    field_aliases = PLAN_FIELD_ALIASES

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"people": selectors.draftable_people(actor=self.membership)}

    def perform(self, form: ImprovementPlanForm) -> ImprovementPlan:
        return drafting.improvement_plan_create(
            actor=self.membership, person=form.cleaned_data["person"], data=form.plan_input()
        )

    def success(self, result: ImprovementPlan) -> HttpResponse:
        messages.success(self.request, _("The draft is saved. Link goals, then submit it to HR."))
        return redirect("reviews:improvement_plan", self.organization.slug, result.pk)


class PlanMixin:
    kwargs: dict[str, Any]
    membership: Any

    @cached_property
    def plan(self) -> ImprovementPlan:
        return selectors.improvement_plan_get(
            actor=self.membership, plan_id=self.kwargs["improvement_plan_id"]
        )


class ImprovementPlanEditView(PlanMixin, OrgFormView):
    form_class = ImprovementPlanForm
    template_name = "reviews/improvement_plans/form.html"
    field_aliases = PLAN_FIELD_ALIASES

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not policies.can_change_improvement_plan(self.membership, self.plan):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"goals": selectors.goal_choices(actor=self.membership, person=self.plan.person)}

    def get_initial(self) -> dict[str, Any]:
        return plan_initial(self.plan)

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {**context, "plan": self.plan}

    def perform(self, form: ImprovementPlanForm) -> ImprovementPlan:
        return drafting.improvement_plan_update(
            actor=self.membership, plan=self.plan, data=form.plan_input()
        )

    def success(self, result: ImprovementPlan) -> HttpResponse:
        messages.success(self.request, _("The plan is saved."))
        return redirect("reviews:improvement_plan", self.organization.slug, result.pk)


def plan_context(actor: Any, plan: ImprovementPlan) -> dict[str, Any]:
    """What the plan page and its PDF both show this reader."""
    return {
        "plan": plan,
        "is_person": actor.pk == plan.person_id,
        "readable_goal_ids": selectors.readable_linked_goals(actor=actor, plan=plan),
    }


def plan_page_context(actor: Any, plan: ImprovementPlan, **forms: Any) -> dict[str, Any]:
    """The plan page: the plan, the evidence of its period, the steps the reader may take."""
    return {
        **plan_context(actor, plan),
        "evidence": selectors.plan_evidence(actor=actor, plan=plan),
        "can_edit": policies.can_change_improvement_plan(actor, plan),
        "can_approve": policies.can_approve_improvement_plan(actor, plan),
        "can_acknowledge": policies.can_acknowledge_improvement_plan(actor, plan),
        "can_record_outcome": policies.can_record_improvement_plan_outcome(actor, plan),
        "return_form": forms.get("return_form") or PlanReturnForm(),
        "acknowledge_form": forms.get("acknowledge_form") or PlanAcknowledgeForm(),
        "outcome_form": forms.get("outcome_form") or PlanOutcomeForm(),
    }


class ImprovementPlanView(PlanMixin, OrgView):
    def get(self, request: HttpRequest, improvement_plan_id: int) -> HttpResponse:
        context = plan_page_context(self.membership, self.plan)
        return render(request, "reviews/improvement_plans/plan.html", context)


class PlanStepView(PlanMixin, OrgView, ABC):
    """A button or small form on the plan page: one service; the page again on a refusal."""

    http_method_names = ["post"]
    form_class: Any = None
    form_key = ""
    done_message = ""

    @abstractmethod
    def act(self, form: Any) -> ImprovementPlan:
        """The step's one service call."""

    def post(self, request: HttpRequest, improvement_plan_id: int) -> HttpResponse:
        plan = self.plan
        form = self.form_class(request.POST) if self.form_class else None
        if form is not None and not form.is_valid():
            return self.page(form, status=400)
        outcome = attempt(lambda: self.act(form), form=form, shown=True)
        if outcome.ok:
            messages.success(request, self.done_message)
        elif form is not None:
            return self.page(form, status=outcome.status)
        else:
            messages.error(request, outcome.message)
        return redirect("reviews:improvement_plan", self.organization.slug, plan.pk)

    def page(self, form: Any, status: int) -> HttpResponse:
        context = plan_page_context(self.membership, self.plan, **{self.form_key: form})
        return render(self.request, "reviews/improvement_plans/plan.html", context, status=status)


class PlanSubmitView(PlanStepView):
    def act(self, form: Any) -> ImprovementPlan:
        self.done_message = _("The plan is submitted to HR for approval.")
        return drafting.improvement_plan_submit(actor=self.membership, plan=self.plan)


class PlanApproveView(PlanStepView):
    def act(self, form: Any) -> ImprovementPlan:
        self.done_message = _("The plan is approved; the person is asked to acknowledge it.")
        return decisions.improvement_plan_approve(actor=self.membership, plan=self.plan)


class PlanReturnView(PlanStepView):
    form_class = PlanReturnForm
    form_key = "return_form"

    def act(self, form: Any) -> ImprovementPlan:
        self.done_message = _("The plan is sent back to its drafter.")
        return decisions.improvement_plan_return(
            actor=self.membership, plan=self.plan, reason=form.cleaned_data["reason"]
        )


class PlanAcknowledgeView(PlanStepView):
    form_class = PlanAcknowledgeForm
    form_key = "acknowledge_form"

    def act(self, form: Any) -> ImprovementPlan:
        self.done_message = _("You acknowledged the plan.")
        return decisions.improvement_plan_acknowledge(
            actor=self.membership, plan=self.plan, comment=form.cleaned_data["comment"]
        )


class PlanOutcomeView(PlanStepView):
    form_class = PlanOutcomeForm
    form_key = "outcome_form"

    def act(self, form: Any) -> ImprovementPlan:
        self.done_message = _("The outcome is recorded.")
        return decisions.improvement_plan_record_outcome(
            actor=self.membership, plan=self.plan, data=OutcomeInput(**form.cleaned_data)
        )
