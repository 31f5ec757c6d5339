from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from perfmgmt.tenancy.selectors import memberships_for_user

from .base import OrgView


class StartView(View):
    """After sign-in: straight into the only organization, or a list to choose from."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect("account_login")
        memberships = list(memberships_for_user(user=request.user))  # type: ignore[arg-type]
        if len(memberships) == 1:
            return redirect("web:home", org_slug=memberships[0].organization.slug)
        return render(request, "web/start.html", {"memberships": memberships})


class HomeView(OrgView):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "web/home.html", {})

