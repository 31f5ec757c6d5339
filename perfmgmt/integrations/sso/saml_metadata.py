"""SAML metadata at a URL, fetched for allauth through the guard (outbound.py).

allauth's SAML provider would fetch a metadata URL itself, with onelogin's `parse_remote`
(urllib: no session we could hand it, every redirect followed). It looks in its cache first
(`saml.metadata.<url>.<entity id>`). So the app our adapter gives allauth names, instead of
the URL, a reference urllib cannot fetch, and the metadata parsed from the URL, fetched here
through the guard, waits in the cache under that reference. Should the entry be gone by the
time allauth looks, allauth's own fetch of the reference fails: a 503, never a request past
the guard.

The last metadata that was fetched and parsed is also kept in the database
(`OrganizationSso.saml_metadata`, from the owner's save and from every refresh): when a
refresh fails (the provider's web server down, an answer that does not parse), the sign-in
goes on with it, the failure is logged, and the next refresh is tried after
`RETRY_SECONDS`. What was kept is used for `SAML_KEPT_METADATA_MAX_AGE_DAYS` after the fetch
that kept it, no longer: keys a provider has since rotated are not trusted for ever. With
nothing kept for the configured URL and entity id, or only metadata that old, the sign-in
fails as a 503 page (views.provider_unavailable_is_503), and the log says why.
"""

from __future__ import annotations

import copy
import hashlib
import logging
from datetime import datetime, timedelta
from typing import Any

from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

from . import outbound, selectors, services
from .models import OrganizationSso

logger = logging.getLogger(__name__)

CACHE_SECONDS = 4 * 60 * 60  # allauth's default for metadata
# Kept metadata used after a failed refresh is cached this long: sign-ins meanwhile do not
# each wait for a provider that does not answer, and it is asked again soon.
RETRY_SECONDS = 5 * 60


class NoSuchIdentityProvider(ValueError):
    """The metadata at the URL has no identity provider with the configured entity id."""


def _reference(url: str) -> str:
    return f"perfmgmt-guarded:{hashlib.sha256(url.encode()).hexdigest()[:32]}"


def _parsed(url: str, entity_id: str) -> dict[str, Any]:
    config = OneLogin_Saml2_IdPMetadataParser.parse(outbound.fetch(url), entity_id=entity_id)
    if not config.get("idp"):
        raise NoSuchIdentityProvider(entity_id)
    return dict(config)


def _refreshed(app: SocialApp, url: str, entity_id: str) -> tuple[dict[str, Any], int]:
    """The metadata to cache and for how long: fetched now (and kept), or else what was
    kept of this URL and entity id; the fetch's error when nothing was."""
    sso = selectors.sso_for_provider(provider_id=app.provider_id)
    try:
        config = _parsed(url, entity_id)
    except Exception:  # network, the guard, the parser: all mean "not now"
        kept = _kept(sso, url, entity_id)
        if kept is None:
            raise  # the page says the provider cannot be reached (and logs it)
        return kept, RETRY_SECONDS
    if sso is not None:
        services.sso_saml_metadata_keep(sso=sso, url=url, entity_id=entity_id, config=config)
    seconds = (app.settings.get("idp") or {}).get("metadata_cache_timeout", CACHE_SECONDS)
    return config, int(seconds)


def _kept(sso: OrganizationSso | None, url: str, entity_id: str) -> dict[str, Any] | None:
    """The kept metadata if it is of this URL and entity id (logged as used); else None."""
    kept = (sso.saml_metadata if sso is not None else None) or {}
    if kept.get("url") != url or kept.get("entity_id") != entity_id or not kept.get("config"):
        return None
    if _too_old(kept.get("fetched_at")):
        logger.error(
            "sso: SAML metadata at %s could not be fetched; the kept metadata fetched at %s "
            "is older than %s days and is not used (organization %s)",
            url,
            kept.get("fetched_at"),
            settings.SAML_KEPT_METADATA_MAX_AGE_DAYS,
            sso.organization_id if sso is not None else None,
            exc_info=True,
        )
        return None
    logger.warning(
        "sso: SAML metadata at %s could not be fetched; using the kept metadata fetched at "
        "%s (organization %s)",
        url,
        kept.get("fetched_at"),
        sso.organization_id if sso is not None else None,
        exc_info=True,
    )
    return dict(kept["config"])


def _too_old(fetched_at: Any) -> bool:
    """Whether metadata fetched at `fetched_at` (ISO text) is past its maximum age; metadata
    without a readable time of fetching is."""
    try:
        fetched = datetime.fromisoformat(fetched_at)
    except (TypeError, ValueError):
        return True
    if timezone.is_naive(fetched):
        return True
    age = timedelta(days=settings.SAML_KEPT_METADATA_MAX_AGE_DAYS)
    return timezone.now() - fetched > age


def guarded_app(app: SocialApp) -> SocialApp:
    """`app` as allauth may use it: a SAML app's metadata URL already fetched, or kept from
    the last fetch that worked (requests' errors, a parser's error or NoSuchIdentityProvider
    when neither is to be had)."""
    idp = app.settings.get("idp") or {}
    url, entity_id = idp.get("metadata_url"), idp.get("entity_id", "")
    if app.provider != "saml" or not url:
        return app
    reference = _reference(url)
    key = f"saml.metadata.{reference}.{entity_id}"
    if cache.get(key) is None:
        config, seconds = _refreshed(app, url, entity_id)
        cache.set(key, config, seconds)
    guarded = copy.copy(app)  # never saved: the stored app keeps the URL
    guarded.settings = {**app.settings, "idp": {**idp, "metadata_url": reference}}
    return guarded
