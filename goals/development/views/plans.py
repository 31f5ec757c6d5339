"""Plan pages: the list of plans, starting and editing a plan, and its workflow steps."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from perfmgmt.ids import optional_id
from perfmgmt.tenancy.models import Membership, Team
from perfmgmt.web.form_views import OrgFormView

from .. import policies, selectors, services
from ..forms import AgreeForm, CommentForm, PlanForm
from ..models import DevelopmentPlan, PlanStatus
from ._base import DevelopmentView, _PlanForm, _PlanPost

PLANS_PAGE_SIZE = 50


class HomeView(DevelopmentView):
    """My plans, and the plans of the people I may see (reports; everyone for HR)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        actor = self.membership
        status = request.GET.get("status", "")
        status = status if status in PlanStatus.values else ""
        period = request.GET.get("period", "").strip()[:40]
        team_id = optional_id(request.GET.get("team"))
        mine = list(selectors.plan_list(actor=actor, person_id=actor.pk))
        others = selectors.plan_list(
            actor=actor, status=status or None, period=period or None, team_id=team_id
        ).exclude(person_id=actor.pk)
        others = others.order_by("person__full_name", "-period_start", "id")
        page = Paginator(others, PLANS_PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "mine": [(plan, selectors.plan_progress(plan=plan)) for plan in mine],
            "page": page,
            "others": [(plan, selectors.plan_progress(plan=plan)) for plan in page],
            "sees_others": policies.can_view_all_plans(actor)
            or Membership.objects.filter(manager=actor).exists(),
            "statuses": PlanStatus.choices,
            "status": status,
            "period": period,
            "team_id": team_id,
            "teams": Team.objects.all() if policies.can_view_all_plans(actor) else [],
        }
        return render(request, "goals/development/home.html", context)


class PlanCreateView(OrgFormView, DevelopmentView):
    form_class = PlanForm
    template_name = "goals/development/plan_form.html"

    def get_initial(self) -> dict[str, Any]:
        today = timezone.localdate()
        return {
            "person": self.membership.pk,
            "period": str(today.year),
            "period_start": today.replace(month=1, day=1),
            "period_end": today.replace(month=12, day=31),
        }

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"people": selectors.plan_person_choices(actor=self.membership)}

    def perform(self, form: PlanForm) -> DevelopmentPlan:
        return services.plan_create(actor=self.membership, **form.cleaned_data)

    def success(self, plan: DevelopmentPlan) -> HttpResponse:
        started = gettext("Plan for %(period)s started.")
        messages.success(self.request, started % {"period": plan.period})
        return redirect(self.plan_url(plan))


class PlanView(DevelopmentView):
    """The plan page: progress, objectives, competencies, actions, comments, coaching."""

    def get(self, request: HttpRequest, plan_id: int) -> HttpResponse:
        return self.page(self.plan(plan_id))


class PlanEditView(OrgFormView, DevelopmentView):
    form_class = PlanForm
    template_name = "goals/development/plan_form.html"

    @cached_property
    def editable_plan(self) -> DevelopmentPlan:
        plan = self.plan(self.kwargs["plan_id"])
        if not policies.can_edit_plan(self.membership, plan):
            raise PermissionDenied
        return plan

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"plan": self.editable_plan}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {**context, "plan": self.editable_plan}

    def perform(self, form: PlanForm) -> DevelopmentPlan:
        return services.plan_update(
            actor=self.membership, plan=self.editable_plan, **form.cleaned_data
        )

    def success(self, result: Any) -> HttpResponse:
        messages.success(self.request, gettext("Plan saved."))
        return redirect(self.plan_url(self.editable_plan))


class PlanSubmitView(_PlanPost):
    def act(self, request: HttpRequest, plan: DevelopmentPlan) -> None:
        services.plan_submit(actor=self.membership, plan=plan)
        messages.success(request, gettext("Sent to your manager for agreement."))


class PlanCloseView(_PlanPost):
    def act(self, request: HttpRequest, plan: DevelopmentPlan) -> None:
        services.plan_close(actor=self.membership, plan=plan)
        messages.success(request, gettext("Plan closed."))


class PlanAgreeView(_PlanPost):
    def act(self, request: HttpRequest, plan: DevelopmentPlan) -> HttpResponse | None:
        form = AgreeForm(request.POST)
        if not form.is_valid():
            return self.page(plan, status=400, agree_form=form)
        services.plan_agree(actor=self.membership, plan=plan, **form.cleaned_data)
        agreed = gettext("You agreed %(name)s's plan.")
        messages.success(request, agreed % {"name": plan.person.display_name})
        return None


class PlanCommentView(_PlanForm):
    form_class = CommentForm
    form_key = "comment_form"
    success_message = _("Comment saved.")

    def perform(self, form: CommentForm) -> Any:
        return services.plan_comment(
            actor=self.membership, plan=self.current_plan, **form.cleaned_data
        )
