"""Owner pages for API keys: /o/<org_slug>/settings/api/.

Only owners reach them; anyone else in the organization gets 403 (the page exists, the
organization is theirs, they just may not manage keys).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from perfmgmt.tenancy import policies
from perfmgmt.web.base import OrgView
from perfmgmt.web.form_views import OrgFormView

from . import selectors, services
from .forms import CredentialForm


class CredentialView(OrgView):
    permission_check = staticmethod(policies.can_manage_api_credentials)


class CredentialListView(CredentialView):
    def get(self, request: HttpRequest) -> HttpResponse:
        credentials = selectors.credential_list(actor=self.membership)
        return render(request, "api_credentials/list.html", {"credentials": credentials})


class CredentialCreateView(OrgFormView, CredentialView):
    form_class = CredentialForm
    template_name = "api_credentials/create.html"

    def perform(self, form: CredentialForm) -> tuple[Any, str]:
        return services.credential_create(
            actor=self.membership,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
        )

    def success(self, result: tuple[Any, str]) -> HttpResponse:
        credential, key = result
        # The key is in this response only; it is never stored, so no redirect.
        response = render(
            self.request, "api_credentials/created.html", {"credential": credential, "key": key}
        )
        response["Cache-Control"] = "no-store"
        return response


class CredentialRevokeView(CredentialView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, credential_id: int) -> HttpResponse:
        credential = selectors.credential_get(actor=self.membership, credential_id=credential_id)
        services.credential_revoke(actor=self.membership, credential=credential)
        messages.success(request, f"The key “{credential.name}” is revoked and no longer works.")
        return redirect("api_credentials:list", org_slug=self.organization.slug)
