"""Every write about API credentials."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from perfmgmt.audit.services import audit_record
from perfmgmt.errors import DomainError, PermissionDeniedError
from perfmgmt.tenancy import policies
from perfmgmt.tenancy.policies import Actor

from .models import ApiCredential, Scope, hash_secret

_PREFIX_ATTEMPTS = 5


def _clean_credential_input(name: str, scopes: Iterable[str]) -> tuple[str, list[str]]:
    name = (name or "").strip()
    chosen = sorted(set(scopes))
    fields: dict[str, list[str]] = {}
    max_length = ApiCredential._meta.get_field("name").max_length or 200
    if not name:
        fields["name"] = ["Name the key after the system that will use it."]
    elif len(name) > max_length:
        fields["name"] = [f"Use at most {max_length} characters."]
    unknown = [scope for scope in chosen if scope not in Scope.values]
    if unknown:
        fields["scopes"] = [f"Unknown scope: {', '.join(unknown)}."]
    elif not chosen:
        fields["scopes"] = ["Choose at least one scope."]
    if fields:
        raise DomainError("The key could not be created.", fields=fields)
    return name, chosen


def credential_create(
    *, actor: Actor, name: str, scopes: Iterable[str]
) -> tuple[ApiCredential, str]:
    """Create a key for a system acting on the actor's organization.

    Returns the credential and the full key. The key is shown once: only its SHA-256 is
    stored, so it cannot be recovered later (revoke it and create another instead).
    """
    if not policies.can_manage_api_credentials(actor):
        raise PermissionDeniedError("Only owners manage API keys.")
    name, chosen = _clean_credential_input(name, scopes)
    created_by = policies.person_of(actor)
    for _attempt in range(_PREFIX_ATTEMPTS):
        prefix, key = ApiCredential.generate_key()
        try:
            with transaction.atomic():
                credential = ApiCredential.objects.create(
                    organization=actor.organization,
                    name=name,
                    prefix=prefix,
                    key_hash=hash_secret(key),
                    scopes=chosen,
                    created_by=created_by,
                )
                audit_record(
                    actor=actor,
                    action="api_credential.create",
                    target=credential,
                    changes={"name": name, "prefix": prefix, "scopes": chosen},
                )
        except IntegrityError:
            continue  # a prefix clash with another organization's key: draw again
        return credential, key
    raise RuntimeError("Could not draw a unique API key prefix.")


def credential_revoke(*, actor: Actor, credential: ApiCredential) -> ApiCredential:
    """The key stops working at once. Revoking a revoked key changes nothing."""
    if not policies.can_manage_api_credentials(actor):
        raise PermissionDeniedError("Only owners manage API keys.")
    with transaction.atomic():
        credential = ApiCredential.objects.select_for_update().get(pk=credential.pk)
        if credential.revoked_at is not None:
            return credential
        credential.revoked_at = timezone.now()
        credential.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="api_credential.revoke",
            target=credential,
            changes={"name": credential.name, "prefix": credential.prefix},
        )
    return credential
