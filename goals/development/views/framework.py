"""The competency framework pages: reading it, and editing it (HR admins and owners)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from perfmgmt.errors import DomainError
from perfmgmt.ids import optional_id

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
        category_id = optional_id(request.GET.get("category"))
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
