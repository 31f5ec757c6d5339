"""Writes of single sign-on configurations: owners only, audited, the secret never echoed."""

from __future__ import annotations

import datetime
from dataclasses import asdict
from typing import Any

from allauth.socialaccount.models import SocialApp
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perfmgmt.audit.services import audit_record
from perfmgmt.errors import DomainError, PermissionDeniedError
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, Organization

from .models import SIGN_IN_SETTING, OrganizationSso, Protocol, SignInPolicy, provider_id_for
from .policies import can_manage_sso
from .settings import SsoInput, app_settings, check_saml_metadata_url, checked_domains

ALLAUTH_PROVIDERS = {Protocol.OIDC: "openid_connect", Protocol.SAML: "saml"}
AUDITED = ("protocol", "email_domains", "require_sso", "require_two_factor_for_password")


def _described(sso: OrganizationSso | None) -> dict[str, Any]:
    if sso is None:
        return {}
    app = sso.social_app
    described = {name: getattr(sso, name) for name in AUDITED}
    described.update(client_id=app.client_id, settings=app.settings)
    return described


def _changes(before: dict[str, Any], after: dict[str, Any], secret_changed: bool) -> dict[str, Any]:
    changes: dict[str, Any] = {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }
    if secret_changed:
        changes["client_secret"] = "changed"  # noqa: S105  (never the secret itself)
    return changes


def _save_app(
    *, sso: OrganizationSso | None, actor: Membership, data: SsoInput, settings: dict[str, Any]
) -> SocialApp:
    app = sso.social_app if sso is not None else SocialApp()
    provider_id = provider_id_for(actor.organization_id)
    app.provider = ALLAUTH_PROVIDERS[Protocol(data.protocol)]
    app.provider_id = provider_id
    app.name = actor.organization.name[:40]
    app.settings = settings
    if data.protocol == Protocol.SAML:
        # The SAML URLs name the app by its client id: /accounts/saml/<client id>/acs/.
        app.client_id, app.secret = provider_id, ""
    else:
        app.client_id = data.client_id.strip()
        if data.client_secret:
            app.secret = data.client_secret
    app.save()
    return app


def _mirror_on_organization(*, organization: Organization, policy: SignInPolicy) -> None:
    """Copy the requirements onto the (locked) organization row, where enforcement reads
    them without a query of its own. Only its `settings` are written: the rest of the row
    may be stale in memory."""
    settings = dict(organization.settings or {})
    if settings.get(SIGN_IN_SETTING) == policy.as_setting():
        return
    settings[SIGN_IN_SETTING] = policy.as_setting()
    organization.settings = settings
    organization.save(update_fields=["settings"])


def _provider_unchanged(sso: OrganizationSso, data: SsoInput, settings: dict[str, Any]) -> bool:
    app = sso.social_app
    same_app = sso.protocol == data.protocol and app.settings == settings
    if data.protocol == Protocol.OIDC:
        same_app = same_app and app.client_id == data.client_id.strip() and not data.client_secret
    return same_app


def _check_not_locking_out(
    sso: OrganizationSso | None,
    data: SsoInput,
    settings: dict[str, Any],
    *,
    signed_in_through_it: bool,
) -> None:
    """Requiring SSO (or changing the provider of an organization that requires it) needs a
    session signed in through it: a provider that does not work would lock everyone out."""
    if not data.require_sso or signed_in_through_it:
        return
    if sso is not None and sso.require_sso and _provider_unchanged(sso, data, settings):
        return
    message = _(
        "Sign in through the single sign-on once before requiring it, so that a wrong "
        "setting cannot lock everyone out: save without requiring it, sign in through it, "
        "then require it."
    )
    raise DomainError(fields={"require_sso": [message]})


def sso_configure(
    *, actor: Membership, data: SsoInput, signed_in_through_it: bool = False
) -> OrganizationSso:
    """Create or change the organization's single sign-on (owners only; audited).

    An empty `client_secret` keeps the stored one. `signed_in_through_it`: the caller's
    session was signed in through this organization's provider (needed to require it).
    """
    if not can_manage_sso(actor):
        raise PermissionDeniedError(_("Only owners can configure single sign-on."))
    domains = checked_domains(data.email_domains)
    fetched = check_saml_metadata_url(data)  # over the network: before the row lock is taken
    with transaction.atomic():
        # The organization row first (its settings hold the mirrored requirements), then
        # the configuration row.
        organization = Organization.objects.select_for_update().get(pk=actor.organization_id)
        sso = OrganizationSso.objects.select_for_update().select_related("social_app").first()
        before = _described(sso)
        same_protocol = sso is not None and sso.protocol == data.protocol
        has_secret = same_protocol and bool(sso and sso.social_app.secret)
        settings = app_settings(data, has_secret=has_secret)
        _check_not_locking_out(sso, data, settings, signed_in_through_it=signed_in_through_it)
        app = _save_app(sso=sso, actor=actor, data=data, settings=settings)
        if sso is None:
            sso = OrganizationSso(social_app=app)
        sso.protocol = data.protocol
        sso.email_domains = domains
        sso.require_sso = data.require_sso
        sso.require_two_factor_for_password = data.require_two_factor_for_password
        sso.updated_at = timezone.now()
        sso.saml_metadata = _kept_record(settings, fetched) if fetched else {}
        sso.full_clean(exclude=["social_app"])
        sso.save()
        _mirror_on_organization(organization=organization, policy=sso.sign_in_policy)
        changes = _changes(before, _described(sso), bool(data.client_secret))
        if changes:
            audit_record(actor=actor, action="sso.configured", target=sso, changes=changes)
    actor.organization.settings = organization.settings
    return sso


def sso_input_for(sso: OrganizationSso | None) -> dict[str, Any]:
    """The form's initial values for a stored configuration (never the secret)."""
    if sso is None:
        return asdict(SsoInput(protocol=Protocol.OIDC))
    app = sso.social_app
    idp = app.settings.get("idp", {})
    return {
        "protocol": sso.protocol,
        "client_id": app.client_id if sso.protocol == Protocol.OIDC else "",
        "issuer_url": app.settings.get("server_url", ""),
        "saml_entity_id": idp.get("entity_id", ""),
        "saml_metadata_url": idp.get("metadata_url", ""),
        "email_domains": ", ".join(sso.email_domains),
        "require_sso": sso.require_sso,
        "require_two_factor_for_password": sso.require_two_factor_for_password,
    }


def _kept_record(app_settings: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    idp = app_settings.get("idp") or {}
    return saml_metadata_record(
        url=idp.get("metadata_url", ""), entity_id=idp.get("entity_id", ""), config=config
    )


def saml_metadata_record(*, url: str, entity_id: str, config: dict[str, Any]) -> dict[str, Any]:
    """What `OrganizationSso.saml_metadata` holds: `config`, parsed from `url` just now."""
    fetched_at = timezone.now().astimezone(datetime.UTC).isoformat()
    return {"url": url, "entity_id": entity_id, "config": config, "fetched_at": fetched_at}


def sso_saml_metadata_keep(
    *, sso: OrganizationSso, url: str, entity_id: str, config: dict[str, Any]
) -> None:
    """Keep the metadata a sign-in just fetched from `url` as the last good one (no actor:
    a refresh, not a change of the configuration; not audited)."""
    record = saml_metadata_record(url=url, entity_id=entity_id, config=config)
    with organization_scope(sso.organization):  # a sign-in page: no organization is active
        OrganizationSso.objects.filter(pk=sso.pk).update(saml_metadata=record)
