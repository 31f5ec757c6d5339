"""The base of the development plan pages: the plan page and a POST on a plan."""

from __future__ import annotations

from abc import ABC, abstractmethod
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from perfmgmt.web.base import OrgView
from perfmgmt.web.form_views import OrgFormView, attempt
from perfmgmt.web.links import optional_reverse

from .. import policies, selectors
from ..forms import ActionForm, AgreeForm, CommentForm, ObjectiveForm, PlanCompetencyForm
from ..models import ActionStatus, DevelopmentPlan, PlanStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _coaching_records(actor: Any, plan: DevelopmentPlan) -> list[Any]:
    """The feedback app's coaching records about the person that the viewer may read."""
    if not apps.is_installed("feedback"):  # the monitoring part is optional
        return []
    from feedback.selectors import coaching_records_for

    return list(coaching_records_for(actor=actor, person=plan.person)[:20])


class DevelopmentView(OrgView):
    def plan_url(self, plan: DevelopmentPlan) -> str:
        return reverse("development:plan", args=[self.organization.slug, plan.pk])

    def plan(self, plan_id: Any) -> DevelopmentPlan:
        return selectors.plan_get(actor=self.membership, plan_id=plan_id)

    def page(self, plan: DevelopmentPlan, status: int = 200, **forms: Any) -> HttpResponse:
        actor = self.membership
        objectives = selectors.plan_objectives(plan=plan)
        capabilities = selectors.plan_capabilities(actor=actor, plan=plan)
        can_edit = capabilities.edit
        owners = selectors.action_owner_choices(plan=plan)
        defaults: dict[str, Any] = {
            "objective_form": ObjectiveForm() if can_edit else None,
            "competency_form": PlanCompetencyForm() if can_edit else None,
            "action_form": ActionForm(owners=owners, initial={"owner": plan.person_id})
            if can_edit
            else None,
            "comment_form": CommentForm() if capabilities.comment else None,
            "agree_form": AgreeForm() if capabilities.agree else None,
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
            "can_submit": capabilities.submit,
            "can_close": capabilities.close,
            **defaults,
        }
        return render(self.request, "goals/development/plan.html", context, status=status)


class _OnPlan(DevelopmentView):
    """A POST on a plan: what both kinds below share."""

    http_method_names = ["post"]
    changes_content = False  # adds to the plan: only its two sides, while it is open

    def refuse_closed(self, plan: DevelopmentPlan) -> HttpResponse | None:
        """Content changes only on an open plan, by its two sides (403 for anyone else)."""
        if self.changes_content and not policies.can_edit_plan(self.membership, plan):
            if plan.status != PlanStatus.CLOSED:
                raise PermissionDenied
            messages.error(self.request, gettext("This plan is closed."))
            return redirect(self.plan_url(plan))
        return None


class _PlanPost(_OnPlan, ABC):
    """A button on a plan that redirects back to it, or shows it again with the error."""

    def post(self, request: HttpRequest, plan_id: int) -> HttpResponse:
        plan = self.plan(plan_id)
        closed = self.refuse_closed(plan)
        if closed is not None:
            return closed
        outcome = attempt(lambda: self.act(request, plan))
        if not outcome.ok:
            messages.error(request, outcome.message)
        return outcome.result or redirect(self.plan_url(plan))

    @abstractmethod
    def act(self, request: HttpRequest, plan: DevelopmentPlan) -> HttpResponse | None:
        """Do the change; a response, or None to go back to the plan."""


class _PlanForm(OrgFormView, _OnPlan):
    """A form on the plan page: back to the plan with a message, or the page again with the
    form's errors."""

    form_key = ""  # the plan page's name for this form
    success_message: StrOrPromise = ""

    @cached_property
    def current_plan(self) -> DevelopmentPlan:
        return self.plan(self.kwargs["plan_id"])

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        closed = self.refuse_closed(self.current_plan)
        if closed is not None:
            return closed
        return OrgFormView.post(self, request, *args, **kwargs)

    def success(self, result: Any) -> HttpResponse:
        messages.success(self.request, self.success_message)
        return redirect(self.plan_url(self.current_plan))

    def render_form(self, form: Any, status: int = 200) -> HttpResponse:
        return self.page(self.current_plan, status=status, **{self.form_key: form})
