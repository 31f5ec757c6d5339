"""Base for every page under /o/<org_slug>/: resolves the organization before the handler."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.views import View

from perfmgmt.integrations.sso.enforcement import session_sign_in_required
from perfmgmt.localization import activate_reader
from perfmgmt.tenancy.context import activate_organization
from perfmgmt.tenancy.models import Membership, Organization
from perfmgmt.tenancy.selectors import membership_for_request


class OrgRequest(HttpRequest):
    membership: Membership
    organization: Organization


def resolve_org_request(request: HttpRequest, slug: str) -> Membership:
    """Set request.membership / request.organization and activate the tenant scope, or 404.

    The look-up also brings what the page layout shows about the reader (`with_facts`)."""
    membership = membership_for_request(
        user=request.user,  # type: ignore[arg-type]
        slug=slug,
        with_facts=True,
    )
    request.membership = membership  # type: ignore[attr-defined]
    request.organization = membership.organization  # type: ignore[attr-defined]
    activate_organization(membership.organization)
    activate_reader(user=request.user, organization=membership.organization)
    return membership


class OrgView(View):
    """A page of one organization. Subclasses implement get/post as usual.

    `dispatch` is where the organization is resolved; subclasses must not override it
    (tests/test_isolation.py walks the URL conf to make sure).
    """

    request: OrgRequest
    permission_check: Any = None  # optional callable(membership) -> bool

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        membership = resolve_org_request(request, kwargs.pop("org_slug"))
        # The organization may require its single sign-on or a second factor (after the
        # membership check: an outsider still gets the 404).
        required = session_sign_in_required(request, membership.organization)
        if required is not None:
            messages.warning(request, required.message)
            return HttpResponseRedirect(required.url)
        if self.permission_check is not None and not type(self).permission_check(membership):
            raise PermissionDenied
        self.membership = membership
        self.organization = membership.organization
        return super().dispatch(request, *args, **kwargs)
