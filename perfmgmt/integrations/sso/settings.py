"""What an organization's form says, turned into the allauth app's settings (validated)."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from django.utils.translation import gettext as _
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

from perfmgmt.errors import DomainError
from perfmgmt.integrations import ssrf

from . import outbound
from .models import Protocol

DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
LOOPBACK_HOSTS = {"localhost"}


@dataclass(frozen=True)
class SsoInput:
    protocol: str
    client_id: str = ""
    client_secret: str = ""  # empty: keep the stored one
    issuer_url: str = ""
    saml_entity_id: str = ""
    saml_metadata_url: str = ""
    saml_metadata_xml: str = ""
    email_domains: list[str] = field(default_factory=list)
    require_sso: bool = False
    require_two_factor_for_password: bool = False


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def checked_url(value: str, field_name: str) -> str:
    """An https URL whose name has only public addresses (outbound.py's rules). Plain http
    only to this machine, and only under the tests' allowance."""
    url = value.strip()
    try:
        parts = urlsplit(url)
        scheme, host = parts.scheme, parts.hostname or ""
    except ValueError:
        scheme, host = "", ""
    plain_http = scheme == "http" and outbound.allows_loopback() and _is_loopback(host)
    if not host or not (scheme == "https" or plain_http):
        raise DomainError(fields={field_name: [_("Enter an https:// address.")]})
    try:
        outbound.check_address(url)
    except ssrf.UnsafeURL as error:
        raise DomainError(fields={field_name: [error.message]}) from None
    return url.rstrip("/")


def checked_domains(domains: list[str]) -> list[str]:
    cleaned: list[str] = []
    for domain in domains:
        domain = domain.strip().lower().lstrip("@")
        if not DOMAIN.match(domain):
            message = _("“%(domain)s” is not a domain name.") % {"domain": domain}
            raise DomainError(fields={"email_domains": [message]})
        if domain not in cleaned:
            cleaned.append(domain)
    return cleaned


def oidc_settings(data: SsoInput, *, has_secret: bool) -> dict[str, Any]:
    if not data.client_id.strip():
        raise DomainError(fields={"client_id": [_("Enter the client id.")]})
    if not data.client_secret and not has_secret:
        raise DomainError(fields={"client_secret": [_("Enter the client secret.")]})
    issuer = checked_url(data.issuer_url, "issuer_url")
    return {"server_url": issuer, "oauth_pkce_enabled": True}


def _parsed_metadata(xml: str) -> dict[str, Any]:
    try:
        parsed = OneLogin_Saml2_IdPMetadataParser.parse(xml.strip())
    except Exception:  # the parser raises many types for bad XML; all mean the same here
        parsed = {}
    idp = parsed.get("idp") or {}
    sso_url = (idp.get("singleSignOnService") or {}).get("url")
    certificate = _signing_certificate(idp)
    if not idp.get("entityId") or not sso_url or not certificate:
        message = _(
            "This is not identity provider metadata with an entity id, a sign-on URL and a "
            "certificate."
        )
        raise DomainError(fields={"saml_metadata_xml": [message]})
    return {"entity_id": idp["entityId"], "sso_url": sso_url, "x509cert": certificate}


def _signing_certificate(idp: dict[str, Any]) -> str:
    """The one certificate the provider signs with. onelogin reports a single `x509cert`
    only when signing and encryption share it; a provider that publishes an encryption
    certificate of its own (as AD FS does) comes as `x509certMulti`. allauth trusts one
    pasted certificate, so several signing ones (a key rollover) need the metadata URL."""
    if idp.get("x509cert"):
        return str(idp["x509cert"])
    signing = (idp.get("x509certMulti") or {}).get("signing") or []
    if len(signing) > 1:
        message = _(
            "This metadata lists several signing certificates. Enter its URL instead, so "
            "that all of them are trusted."
        )
        raise DomainError(fields={"saml_metadata_xml": [message]})
    return str(signing[0]) if signing else ""


def _fetched_metadata(url: str, entity_id: str) -> dict[str, Any]:
    try:
        xml = outbound.fetch(url)
    except ssrf.RefusedRequest as refused:
        raise DomainError(fields={"saml_metadata_url": [str(refused)]}) from None
    except requests.RequestException:
        message = _("No identity provider metadata could be fetched from this address.")
        raise DomainError(fields={"saml_metadata_url": [message]}) from None
    try:
        parsed = OneLogin_Saml2_IdPMetadataParser.parse(xml, entity_id=entity_id)
    except Exception:  # the parser raises many types for bad XML
        parsed = {}
    return dict(parsed)


def check_saml_metadata_url(data: SsoInput) -> dict[str, Any] | None:
    """A metadata URL must answer now with the entity id's provider, so that a wrong address
    or entity id is an error on the owner's form, not a sign-in that fails for everyone.
    (allauth fetches it again when people sign in, and keeps it for some hours.) The
    metadata as parsed (onelogin's settings), kept for when a refresh fails; None when the
    configuration names no metadata URL."""
    if data.protocol != Protocol.SAML or data.saml_metadata_xml.strip():
        return None
    if not data.saml_metadata_url.strip() or not data.saml_entity_id.strip():
        return None  # saml_settings says what is missing
    url = checked_url(data.saml_metadata_url, "saml_metadata_url")
    config = _fetched_metadata(url, data.saml_entity_id.strip())
    idp = config.get("idp") or {}
    sso_url = (idp.get("singleSignOnService") or {}).get("url")
    if not sso_url or not (idp.get("x509cert") or idp.get("x509certMulti")):
        message = _(
            "The metadata at this address has no identity provider with this entity id, a "
            "sign-on URL and a certificate."
        )
        raise DomainError(fields={"saml_entity_id": [message]})
    return config


def saml_settings(data: SsoInput) -> dict[str, Any]:
    if data.saml_metadata_xml.strip():
        idp = _parsed_metadata(data.saml_metadata_xml)
    elif data.saml_metadata_url.strip():
        if not data.saml_entity_id.strip():
            raise DomainError(
                fields={"saml_entity_id": [_("Enter the identity provider's entity id.")]}
            )
        idp = {
            "entity_id": data.saml_entity_id.strip(),
            "metadata_url": checked_url(data.saml_metadata_url, "saml_metadata_url"),
        }
    else:
        message = _("Enter the identity provider's metadata URL or paste its metadata.")
        raise DomainError(fields={"saml_metadata_url": [message]})
    return {
        "idp": idp,
        "advanced": {"want_assertion_signed": True},
    }


def app_settings(data: SsoInput, *, has_secret: bool) -> dict[str, Any]:
    if data.protocol == Protocol.OIDC:
        return oidc_settings(data, has_secret=has_secret)
    if data.protocol == Protocol.SAML:
        return saml_settings(data)
    raise DomainError(fields={"protocol": [_("Choose OpenID Connect or SAML 2.0.")]})
