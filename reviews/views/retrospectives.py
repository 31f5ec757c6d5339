"""Retrospective pages: answering (the people a cycle asks), the results and opening it
(HR), and the next cycle made from a cycle (HR), with the old cycle's results beside it."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from perfmgmt.web.base import OrgView
from perfmgmt.web.form_views import OrgFormView

from .. import policies
from ..forms.retrospectives import NextCycleForm, RetrospectiveAnswerForm, RetrospectiveOpenForm
from ..models import LAUNCHED_STATUSES, PHASE_ORDER, Retrospective, ReviewCycle
from ..selectors import cycles as cycle_selectors
from ..selectors import retrospectives as selectors
from ..services import retrospectives as services
from ..services.cycles import next_cycle


class RetrospectiveAnswerView(OrgFormView):
    """The form, or the "thank you" once answered, or "closed"; 404 to anyone not asked."""

    form_class = RetrospectiveAnswerForm
    template_name = "reviews/retrospectives/answer.html"

    @cached_property
    def retrospective(self) -> Retrospective:
        return selectors.retrospective_to_answer(
            actor=self.membership, retrospective_id=self.kwargs["retrospective_id"]
        )

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        retrospective = self.retrospective
        return {
            **context,
            "retrospective": retrospective,
            "cycle": retrospective.cycle,
            "answered": selectors.has_answered(self.membership, retrospective),
            "is_open": retrospective.is_open(timezone.now()),
        }

    def perform(self, form: RetrospectiveAnswerForm) -> None:
        services.retrospective_answer(
            actor=self.membership,
            retrospective=self.retrospective,
            scores=form.scores(),
            comment=form.cleaned_data.get("comment") or "",
        )

    def success(self, result: Any) -> HttpResponse:
        messages.success(self.request, _("Thank you: your answer is in, without your name."))
        return redirect("reviews:retrospective", self.organization.slug, self.retrospective.pk)


def results_context(retrospective: Retrospective | None) -> dict[str, Any]:
    if retrospective is None:
        return {"retrospective": None, "results": None}
    return {
        "retrospective": retrospective,
        "results": selectors.retrospective_results(retrospective),
        "is_open": retrospective.is_open(timezone.now()),
    }


class RetrospectiveResultsView(OrgView):
    permission_check = staticmethod(policies.can_read_retrospective_results)

    def get(self, request: HttpRequest, retrospective_id: int) -> HttpResponse:
        retrospective = selectors.retrospective_get(retrospective_id=retrospective_id)
        context = {
            **results_context(retrospective),
            "cycle": retrospective.cycle,
            "open_form": RetrospectiveOpenForm(initial={"days": retrospective.days}),
            "can_run": policies.can_run_retrospectives(self.membership),
        }
        return render(request, "reviews/retrospectives/results.html", context)


class _CycleMixin:
    kwargs: dict[str, Any]

    @cached_property
    def cycle(self) -> ReviewCycle:
        return cycle_selectors.cycle_get(cycle_id=self.kwargs["cycle_id"])


class RetrospectiveOpenView(_CycleMixin, OrgFormView):
    """Open a cycle's retrospective by hand, or change how long it stays open."""

    permission_check = staticmethod(policies.can_run_retrospectives)
    form_class = RetrospectiveOpenForm
    template_name = "reviews/retrospectives/open.html"

    @cached_property
    def retrospective(self) -> Retrospective | None:
        return selectors.retrospective_of_cycle(self.cycle)

    def get_initial(self) -> dict[str, Any]:
        return {"days": self.retrospective.days} if self.retrospective else {}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {
            **context,
            "cycle": self.cycle,
            "retrospective": self.retrospective,
            "launched": self.cycle.status in LAUNCHED_STATUSES,
        }

    def perform(self, form: RetrospectiveOpenForm) -> Retrospective:
        return services.retrospective_open(
            actor=self.membership, cycle=self.cycle, days=form.cleaned_data["days"]
        )

    def success(self, retrospective: Retrospective) -> HttpResponse:
        messages.success(self.request, _("The retrospective is open."))
        return redirect("reviews:retrospective_results", self.organization.slug, retrospective.pk)


class NextCycleView(_CycleMixin, OrgFormView):
    """A new draft cycle pre-filled from this one, beside this one's retrospective results."""

    permission_check = staticmethod(policies.can_run_retrospectives)
    form_class = NextCycleForm
    template_name = "reviews/retrospectives/next_cycle.html"
    field_aliases = {kind: f"{kind}_opens_on" for kind in PHASE_ORDER}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"source": self.cycle}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        cycle = self.cycle
        return {
            **context,
            "cycle": cycle,
            "launched": cycle.status in LAUNCHED_STATUSES,
            **results_context(selectors.retrospective_of_cycle(cycle)),
        }

    def perform(self, form: NextCycleForm) -> ReviewCycle:
        return next_cycle.cycle_create_next(
            actor=self.membership, source=self.cycle, next_cycle=form.next_cycle()
        )

    def success(self, cycle: ReviewCycle) -> HttpResponse:
        messages.success(
            self.request,
            _("%(name)s created as a draft. Check it, then launch it.") % {"name": cycle.name},
        )
        return redirect("reviews:cycle", self.organization.slug, cycle.pk)
