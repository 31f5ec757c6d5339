"""The competency framework pages: reading it, and editing it (HR admins and owners)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from perfmgmt.ids import optional_id
from perfmgmt.web.form_views import OrgFormView

from .. import policies, selectors, services
from ..forms import CategoryForm, CompetencyForm
from ..models import Competency, CompetencyCategory
from ._base import DevelopmentView


class FrameworkView(DevelopmentView):
    def get(self, request: HttpRequest) -> HttpResponse:
        can_manage = policies.can_manage_framework(self.membership)
        context = {
            "framework": selectors.framework(include_retired=can_manage),
            "can_manage": can_manage,
        }
        return render(request, "goals/development/framework.html", context)


class _FrameworkEdit(OrgFormView, DevelopmentView):
    permission_check = staticmethod(policies.can_manage_framework)

    def framework_url(self) -> str:
        return reverse("development:framework", args=[self.organization.slug])


class CategoryCreateView(_FrameworkEdit):
    form_class = CategoryForm
    template_name = "goals/development/category_form.html"

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {**context, "category": None}

    def perform(self, form: CategoryForm) -> CompetencyCategory:
        return services.competency_category_create(actor=self.membership, **form.cleaned_data)

    def success(self, result: Any) -> HttpResponse:
        messages.success(self.request, gettext("Category added."))
        return redirect(self.framework_url())


class CategoryEditView(_FrameworkEdit):
    form_class = CategoryForm
    template_name = "goals/development/category_form.html"

    @cached_property
    def category(self) -> CompetencyCategory:
        return selectors.competency_category_get(category_id=self.kwargs["category_id"])

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"category": self.category}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {**context, "category": self.category}

    def perform(self, form: CategoryForm) -> CompetencyCategory:
        return services.competency_category_update(
            actor=self.membership, category=self.category, **form.cleaned_data
        )

    def success(self, result: Any) -> HttpResponse:
        messages.success(self.request, gettext("Category saved."))
        return redirect(self.framework_url())


class CompetencyCreateView(_FrameworkEdit):
    form_class = CompetencyForm
    template_name = "goals/development/competency_form.html"

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {"active": True}
        category_id = optional_id(self.request.GET.get("category"))
        if category_id:
            initial["category"] = category_id
        return initial

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {**context, "competency": None}

    def perform(self, form: CompetencyForm) -> Competency:
        # competency_create takes no `active`: a retired one is created, then retired.
        data = {name: form.cleaned_data[name] for name in ("category", "name", "description")}
        competency = services.competency_create(actor=self.membership, levels=form.levels(), **data)
        if not form.cleaned_data["active"]:
            services.competency_update(actor=self.membership, competency=competency, active=False)
        return competency

    def success(self, competency: Competency) -> HttpResponse:
        added = gettext("%(competency)s added to the framework.")
        messages.success(self.request, added % {"competency": competency.name})
        return redirect(self.framework_url())


class CompetencyEditView(_FrameworkEdit):
    form_class = CompetencyForm
    template_name = "goals/development/competency_form.html"

    @cached_property
    def competency(self) -> Competency:
        return selectors.competency_get(competency_id=self.kwargs["competency_id"])

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"competency": self.competency}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {**context, "competency": self.competency}

    def perform(self, form: CompetencyForm) -> Competency:
        names = ("category", "name", "description", "active")
        data = {name: form.cleaned_data[name] for name in names}
        return services.competency_update(
            actor=self.membership, competency=self.competency, levels=form.levels(), **data
        )

    def success(self, competency: Competency) -> HttpResponse:
        saved = gettext("%(competency)s saved.")
        messages.success(self.request, saved % {"competency": competency.name})
        return redirect(self.framework_url())
