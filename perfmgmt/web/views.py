from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from perfmgmt.errors import DomainError
from perfmgmt.tenancy import policies
from perfmgmt.tenancy.selectors import memberships_for_user
from perfmgmt.tenancy.services import organization_create, organization_update

from . import whats_next
from .base import OrgView
from .forms import OrganizationCreateForm, OrganizationSettingsForm, add_domain_error


class StartView(View):
    """After sign-in: straight into the only organization, or a list to choose from."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect("account_login")
        memberships = list(memberships_for_user(user=request.user))  # type: ignore[arg-type]
        if len(memberships) == 1:
            return redirect("web:home", org_slug=memberships[0].organization.slug)
        return render(request, "web/start.html", {"memberships": memberships})


class OrganizationCreateView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "web/org_create.html", {"form": OrganizationCreateForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = OrganizationCreateForm(request.POST)
        if form.is_valid():
            try:
                organization = organization_create(
                    user=request.user,  # type: ignore[arg-type]
                    name=form.cleaned_data["name"],
                    slug=form.cleaned_data["slug"],
                    time_zone=form.cleaned_data["time_zone"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"{organization.name} is ready. Invite your colleagues.")
                return redirect("web:home", org_slug=organization.slug)
        return render(request, "web/org_create.html", {"form": form}, status=400)


class HomeView(OrgView):
    def get(self, request: HttpRequest) -> HttpResponse:
        items = whats_next.items_for(self.membership)
        return render(request, "web/home.html", {"items": items})


class OrganizationSettingsView(OrgView):
    """Owners change the organization's name, time zone and language; others get 403."""

    permission_check = staticmethod(policies.can_edit_organization)

    def get(self, request: HttpRequest) -> HttpResponse:
        organization = self.organization
        form = OrganizationSettingsForm(
            initial={
                "name": organization.name,
                "time_zone": organization.time_zone,
                "locale": organization.locale,
            }
        )
        return render(request, "web/org_settings.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = OrganizationSettingsForm(request.POST)
        if form.is_valid():
            try:
                organization_update(
                    actor=self.membership, organization=self.organization, **form.cleaned_data
                )
            except DomainError as error:
                # The service changed the instance before refusing; show what is stored.
                self.organization.refresh_from_db()
                add_domain_error(form, error)
            else:
                messages.success(request, "Settings saved.")
                return redirect("web:org_settings", org_slug=self.organization.slug)
        return render(request, "web/org_settings.html", {"form": form}, status=400)
