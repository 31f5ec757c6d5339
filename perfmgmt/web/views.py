from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from perfmgmt.accounts.models import User
from perfmgmt.accounts.services import login_preferences_update
from perfmgmt.tenancy import policies
from perfmgmt.tenancy.models import Organization
from perfmgmt.tenancy.selectors import memberships_for_user
from perfmgmt.tenancy.services import organization_create, organization_update

from . import whats_next
from .base import OrgView
from .form_views import OrgFormView, ServiceFormMixin
from .forms import OrganizationCreateForm, OrganizationSettingsForm, PreferencesForm


class StartView(View):
    """After sign-in: straight into the only organization, or a list to choose from."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect("account_login")
        memberships = list(memberships_for_user(user=request.user))
        if len(memberships) == 1:
            return redirect("web:home", org_slug=memberships[0].organization.slug)
        return render(request, "web/start.html", {"memberships": memberships})


class OrganizationCreateView(LoginRequiredMixin, ServiceFormMixin, View):
    form_class = OrganizationCreateForm
    template_name = "web/org_create.html"

    def perform(self, form: OrganizationCreateForm) -> Organization:
        return organization_create(
            user=self.request.user,
            name=form.cleaned_data["name"],
            slug=form.cleaned_data["slug"],
            time_zone=form.cleaned_data["time_zone"],
        )

    def success(self, organization: Organization) -> HttpResponse:
        messages.success(self.request, f"{organization.name} is ready. Invite your colleagues.")
        return redirect("web:home", org_slug=organization.slug)


class PreferencesView(LoginRequiredMixin, ServiceFormMixin, View):
    """A person's own language and time zone; they apply in every organization."""

    form_class = PreferencesForm
    template_name = "web/preferences.html"

    def get_initial(self) -> dict[str, Any]:
        return {"language": self.request.user.language, "time_zone": self.request.user.time_zone}

    def perform(self, form: PreferencesForm) -> User:
        return login_preferences_update(user=self.request.user, **form.cleaned_data)

    def success(self, result: Any) -> HttpResponse:
        # The next page is already in the language just chosen.
        messages.success(self.request, _("Preferences saved."))
        return redirect("web:preferences")


class HomeView(OrgView):
    def get(self, request: HttpRequest) -> HttpResponse:
        items = whats_next.items_for(self.membership)
        return render(request, "web/home.html", {"items": items})


class OrganizationSettingsView(OrgFormView):
    """Owners change the organization's name, time zone and language; others get 403."""

    permission_check = staticmethod(policies.can_edit_organization)
    form_class = OrganizationSettingsForm
    template_name = "web/org_settings.html"

    def get_initial(self) -> dict[str, Any]:
        organization = self.organization
        return {
            "name": organization.name,
            "time_zone": organization.time_zone,
            "locale": organization.locale,
        }

    def perform(self, form: OrganizationSettingsForm) -> Organization:
        return organization_update(
            actor=self.membership, organization=self.organization, **form.cleaned_data
        )

    def success(self, result: Any) -> HttpResponse:
        messages.success(self.request, "Settings saved.")
        return redirect("web:org_settings", org_slug=self.organization.slug)

    def render_form(self, form: OrganizationSettingsForm, status: int = 200) -> HttpResponse:
        if status >= 400:
            # The service may have changed the instance before refusing; show what is stored.
            self.organization.refresh_from_db()
        return super().render_form(form, status)
