"""Base for every endpoint under /api/v1/orgs/<org_slug>/.

The organization is resolved right after authentication and before permission checks,
throttling or any handler: from the URL for a person (404 unless an active member), and for
a system the credential's own organization must be the one in the URL (404 otherwise).
Permission classes can therefore rely on `view.actor` and `view.organization`.
An anonymous caller is not resolved here: the permission check answers 401/403 first.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import generics, viewsets
from rest_framework.request import Request
from rest_framework.views import APIView

from perfmgmt.tenancy.context import activate_organization
from perfmgmt.tenancy.models import Organization
from perfmgmt.tenancy.policies import Actor
from perfmgmt.tenancy.selectors import membership_for_request

from .models import ApiCredential


class OrgScopedMixin:
    request: Request
    kwargs: dict[str, Any]
    actor: Actor
    organization: Organization

    def resolve_organization(self, request: Request) -> None:
        slug = self.kwargs.get("org_slug", "")
        if isinstance(request.auth, ApiCredential):
            credential = request.auth
            if credential.organization.slug != slug:
                raise Http404("No such organization.")
            self.actor = credential
            self.organization = credential.organization
        else:
            membership = membership_for_request(user=request.user, slug=slug)  # type: ignore[arg-type]
            self.actor = membership
            self.organization = membership.organization
        activate_organization(self.organization)

    def perform_authentication(self, request: Request) -> None:
        super().perform_authentication(request)  # type: ignore[misc]
        if request.user is not None and request.user.is_authenticated:
            self.resolve_organization(request)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        # Fail closed: no handler runs without a resolved organization.
        if not hasattr(self, "organization"):
            self.resolve_organization(request)


class OrgAPIView(OrgScopedMixin, APIView):  # type: ignore[misc]
    pass


class OrgGenericAPIView(OrgScopedMixin, generics.GenericAPIView):  # type: ignore[type-arg,misc]
    pass


class OrgViewSet(OrgScopedMixin, viewsets.GenericViewSet):  # type: ignore[type-arg,misc]
    pass
