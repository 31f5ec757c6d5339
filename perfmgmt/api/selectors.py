"""Reads with rules about API credentials."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from perfmgmt.errors import PermissionDeniedError
from perfmgmt.tenancy import policies
from perfmgmt.tenancy.policies import Actor

from .models import ApiCredential


def credential_list(*, actor: Actor) -> QuerySet[ApiCredential]:
    """The active organization's keys, newest first, revoked ones included."""
    if not policies.can_manage_api_credentials(actor):
        raise PermissionDeniedError("Only owners manage API keys.")
    return ApiCredential.objects.select_related("created_by__user").order_by("-created_at", "-id")


def credential_get(*, actor: Actor, credential_id: int | str) -> ApiCredential:
    """A key of the active organization, or 404 (also for another organization's id)."""
    try:
        return credential_list(actor=actor).get(pk=int(credential_id))
    except (ApiCredential.DoesNotExist, ValueError, TypeError):
        raise Http404("No such API key.") from None
