"""Every request the server makes to an organization's identity provider goes through here.

The owner types the addresses (the OpenID Connect issuer, the SAML metadata URL), and the
documents behind them name more (token, user info and key endpoints), so each request is
held to perfmgmt/integrations/ssrf.py's rules: public addresses only, the checked address
connected to, no redirects, short timeouts, a bounded answer. allauth's own requests get
this session from our adapter (perfmgmt/accounts/adapter.py); SAML metadata, which allauth
would fetch past any session, is fetched here (saml_metadata.py).

`SSO_ALLOW_LOOPBACK_FOR_TESTS` (default False, set only by the tests, whose identity
providers listen on 127.0.0.1) lets loopback addresses and plain http through; nothing
else, never the metadata service or a private network.
"""

from __future__ import annotations

import contextlib

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from perfmgmt.integrations import ssrf

LOOPBACK_ALLOWANCE = "SSO_ALLOW_LOOPBACK_FOR_TESTS"
TIMEOUTS = (3.0, 10.0)  # connect, read (seconds)
# Metadata of one provider is a few kilobytes (AD FS publishes some hundred); federations'
# aggregates of thousands are not what an organization enters here.
MAX_DOCUMENT_BYTES = 1024 * 1024


def allows_loopback() -> bool:
    return bool(getattr(settings, LOOPBACK_ALLOWANCE, False))


def _refusal() -> str:
    return _(
        "This address is not on the public internet; single sign-on only reaches public servers."
    )


def session() -> requests.Session:
    """A requests session that only reaches public servers (loopback under the allowance)."""
    return ssrf.guarded_session(
        allow_loopback=allows_loopback(),
        refusal=_refusal(),
        timeouts=TIMEOUTS,
        max_bytes=MAX_DOCUMENT_BYTES,
    )


def fetch(url: str) -> bytes:
    """The document at `url` (a 2xx answer), through the guard. requests' errors (our
    refusals are `ssrf.RefusedRequest`s) for anything else."""
    with session() as guarded:
        answer = guarded.get(url, headers={"Accept": "application/xml, application/json"})
        answer.raise_for_status()
        return answer.content


def check_address(url: str) -> None:
    """UnsafeURL (with the reason) when `url` could not be fetched under the guard's rules
    today: not http(s), or a name with an address that is not public. A name that does not
    resolve passes: the sign-in checks again, at every request."""
    target = ssrf.parse(url)
    with contextlib.suppress(ssrf.UnknownHost):
        ssrf.resolve(target, allow_loopback=allows_loopback(), refusal=_refusal())
