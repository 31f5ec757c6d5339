"""Single sign-on pages: the owners' settings (/o/<org_slug>/settings/sso/) and the start
of a sign-in through an organization's provider (/accounts/sso/, before anyone signs in)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.base import AuthProcess
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from onelogin.saml2.errors import OneLogin_Saml2_Error

from perfmgmt.web.form_views import OrgFormView

from . import selectors, services
from .enforcement import SessionSignIns
from .forms import SsoForm, SsoStartForm
from .models import OrganizationSso, provider_id_for
from .policies import can_manage_sso

logger = logging.getLogger(__name__)

# What starting a sign-in raises when the provider's published configuration (OpenID
# Connect discovery, SAML metadata at a URL) cannot be fetched or read: network errors and
# the guard's refusals (requests' and urllib's are OSErrors), unreadable XML (a
# SyntaxError), or a document without what allauth looks up in it (KeyError, ValueError,
# onelogin's own error).
PROVIDER_UNAVAILABLE = (OSError, SyntaxError, KeyError, ValueError, OneLogin_Saml2_Error)


class SsoSettingsView(OrgFormView):
    permission_check = staticmethod(can_manage_sso)
    form_class = SsoForm
    template_name = "integrations/sso/settings.html"

    def stored(self) -> OrganizationSso | None:
        return selectors.sso_get(organization=self.organization)

    def get_initial(self) -> dict[str, Any]:
        return services.sso_input_for(self.stored())

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        sso = self.stored()
        has_secret = sso is not None and bool(sso.social_app.secret)
        return {**context, "sso": sso, "has_secret": has_secret}

    def perform(self, form: SsoForm) -> OrganizationSso:
        signed_in = SessionSignIns.of(self.request)
        return services.sso_configure(
            actor=self.membership,
            data=form.sso_input(),
            signed_in_through_it=provider_id_for(self.organization.pk) in signed_in.providers,
        )

    def success(self, result: OrganizationSso) -> HttpResponse:
        messages.success(self.request, _("Single sign-on settings saved."))
        return redirect("sso_settings:edit", org_slug=self.organization.slug)


def _next_url(request: HttpRequest) -> str | None:
    url = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and allowed else None


class SsoStartView(View):
    """GET shows the form (prefilled from `?organization=`); POST sends the browser to the
    organization's provider. Starting only on POST keeps other sites from signing a visitor
    in through a provider without them asking."""

    template_name = "integrations/sso/start.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = SsoStartForm(initial={"organization": request.GET.get("organization", "")})
        return self.render_form(form)

    def render_form(self, form: SsoStartForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "next": _next_url(request=self.request) or ""}
        return render(self.request, self.template_name, context, status=status)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SsoStartForm(request.POST)
        if not form.is_valid():
            return self.render_form(form, status=400)
        sso = selectors.sso_route(text=form.cleaned_data["organization"])
        if sso is None:
            form.add_error(
                "organization",
                _(
                    "No single sign-on is set up for this. Check the spelling, or use the "
                    "organization's short name."
                ),
            )
            return self.render_form(form, status=400)
        try:
            provider = get_adapter().get_provider(request, sso.social_app.provider_id)
            redirect_to = provider.redirect(request, AuthProcess.LOGIN, next_url=_next_url(request))
        except PROVIDER_UNAVAILABLE:
            logger.warning(
                "sso: the provider of organization %s is unavailable",
                sso.organization_id,
                exc_info=True,
            )
            message = _(
                "%(organization)s's identity provider cannot be reached right now. Try again "
                "in a few minutes, or tell your administrator."
            ) % {"organization": sso.organization.name}
            form.add_error("organization", message)
            return self.render_form(form, status=503)
        # Not a redirect: the page's Content-Security-Policy (form-action 'self') would stop
        # the browser following a form's redirect to another site. A page that moves on by
        # itself (and has a link, for whoever it does not move) is a plain navigation.
        context = {"provider_url": redirect_to["Location"], "organization": sso.organization}
        response = render(request, "integrations/sso/continue.html", context)
        response["Cache-Control"] = "no-store"
        return response


def provider_unavailable_is_503(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """allauth's sign-in pages that need the provider's published configuration (SAML:
    our service provider's metadata, the direct start, the end of the answer, single
    logout; OpenID Connect: the direct start, the callback) answer a 503 page, not a 500,
    while it cannot be fetched (SAML: and no metadata is kept; provider_urls.py)."""

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PROVIDER_UNAVAILABLE:
            logger.warning("sso: the provider of %s is unavailable", kwargs, exc_info=True)
            response = render(request, "integrations/sso/unavailable.html", status=503)
            response["Retry-After"] = "300"
            return response

    return guarded
