"""SAML metadata at a URL, fetched for allauth through the guard (outbound.py).

allauth's SAML provider would fetch a metadata URL itself, with onelogin's `parse_remote`
(urllib: no session we could hand it, every redirect followed). It looks in its cache first
(`saml.metadata.<url>.<entity id>`). So the app our adapter gives allauth names, instead of
the URL, a reference urllib cannot fetch, and the metadata parsed from the URL, fetched here
through the guard, waits in the cache under that reference. Should the entry be gone by the
time allauth looks, allauth's own fetch of the reference fails: a 503, never a request past
the guard.
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any

from allauth.socialaccount.models import SocialApp
from django.core.cache import cache
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

from . import outbound

CACHE_SECONDS = 4 * 60 * 60  # allauth's default for metadata


class NoSuchIdentityProvider(ValueError):
    """The metadata at the URL has no identity provider with the configured entity id."""


def _reference(url: str) -> str:
    return f"perfmgmt-guarded:{hashlib.sha256(url.encode()).hexdigest()[:32]}"


def _parsed(url: str, entity_id: str) -> dict[str, Any]:
    config = OneLogin_Saml2_IdPMetadataParser.parse(outbound.fetch(url), entity_id=entity_id)
    if not config.get("idp"):
        raise NoSuchIdentityProvider(entity_id)
    return dict(config)


def guarded_app(app: SocialApp) -> SocialApp:
    """`app` as allauth may use it: a SAML app's metadata URL already fetched (requests'
    errors, a parser's error or NoSuchIdentityProvider when it cannot be)."""
    idp = app.settings.get("idp") or {}
    url, entity_id = idp.get("metadata_url"), idp.get("entity_id", "")
    if app.provider != "saml" or not url:
        return app
    reference = _reference(url)
    key = f"saml.metadata.{reference}.{entity_id}"
    if cache.get(key) is None:
        seconds = idp.get("metadata_cache_timeout", CACHE_SECONDS)
        cache.set(key, _parsed(url, entity_id), seconds)
    guarded = copy.copy(app)  # never saved: the stored app keeps the URL
    guarded.settings = {**app.settings, "idp": {**idp, "metadata_url": reference}}
    return guarded
