"""Outbound requests to URLs that people enter, guarded against server-side request forgery.

Webhooks (webhooks/ssrf.py) and single sign-on (sso/outbound.py) call URLs an organization's
owner typed. Both go through the rules here:

- Only http and https URLs, without credentials in them.
- The name is resolved once; every address it resolves to must be public (no loopback,
  private, shared, link-local (the 169.254.169.254 metadata service), multicast, reserved or
  unspecified address, also not inside an IPv4-mapped IPv6 address). The request then goes
  to exactly that checked address, so a second lookup cannot answer differently; the Host
  header and TLS server name stay the URL's name.
- No redirect is followed; short connect and read timeouts; a bounded answer.

Each caller has its own test-only allowance for loopback addresses (`allow_loopback`);
nothing ever allows the metadata service or private networks.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter

MAX_URL_LENGTH = 2000
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeURL(Exception):
    """The URL may not be called; `message` says why, for the person who entered it."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class UnknownHost(UnsafeURL):
    """The name does not resolve (today)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def parse(url: str) -> Target:
    """The URL's parts, or UnsafeURL for what is not an http(s) URL we may call."""
    if len(url) > MAX_URL_LENGTH:
        raise UnsafeURL(_("Use at most %(count)d characters.") % {"count": MAX_URL_LENGTH})
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise UnsafeURL(_("Enter a valid URL.")) from None
    if parts.scheme not in ("http", "https"):
        raise UnsafeURL(_("Use an http:// or https:// URL."))
    if parts.username or parts.password:
        raise UnsafeURL(_("Leave user names and passwords out of the URL."))
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafeURL(_("Enter a valid URL."))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    default = 443 if parts.scheme == "https" else 80
    return Target(parts.scheme, host, port or default, path)


def is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return is_public(address.ipv4_mapped)
    return address.is_global and not (address.is_multicast or address.is_unspecified)


def _allowed(address: IPAddress, *, allow_loopback: bool) -> bool:
    if is_public(address):
        return True
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return allow_loopback and address.is_loopback


def resolve(target: Target, *, allow_loopback: bool, refusal: str) -> IPAddress:
    """The one address to connect to: every address the name resolves to is checked.
    `refusal` is the message for a name with an address that is not public."""
    try:
        found = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UnknownHost(_("This address could not be found.")) from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found]
    if not addresses:
        raise UnknownHost(_("This address could not be found."))
    if not all(_allowed(address, allow_loopback=allow_loopback) for address in addresses):
        raise UnsafeURL(refusal)
    return addresses[0]


class RefusedRequest(requests.RequestException):
    """The guard refused to send the request, or refused its answer (a redirect, too big)."""


class PublicAddressesOnly(HTTPAdapter):
    """A requests transport that keeps to the rules above, whatever its caller asks for:
    it connects to the checked address, ignores proxies and the caller's timeouts, refuses
    every 3xx answer and reads at most `max_bytes` of a body."""

    def __init__(
        self,
        *,
        allow_loopback: bool,
        refusal: str,
        timeouts: tuple[float, float],
        max_bytes: int,
    ) -> None:
        super().__init__(max_retries=0)
        self.allow_loopback, self.refusal = allow_loopback, refusal
        self.timeouts, self.max_bytes = timeouts, max_bytes

    def _target(self, request: requests.PreparedRequest) -> Target:
        try:
            return parse(request.url or "")
        except UnsafeURL as error:
            raise RefusedRequest(error.message, request=request) from None

    def build_connection_pool_key_attributes(
        self, request: requests.PreparedRequest, verify: Any, cert: Any = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(
            request, verify, cert
        )
        target = self._target(request)
        try:
            address = resolve(target, allow_loopback=self.allow_loopback, refusal=self.refusal)
        except UnsafeURL as error:
            raise RefusedRequest(error.message, request=request) from None
        host_params.update(host=str(address), port=target.port)
        if target.scheme == "https":
            pool_kwargs.update(server_hostname=target.host, assert_hostname=target.host)
        return host_params, pool_kwargs

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: bool | str = True,
        cert: Any = None,
        proxies: dict[str, str] | None = None,
    ) -> requests.Response:
        # The caller's timeout, stream and proxies give way to the guard's.
        request.headers["Host"] = self._target(request).host_header
        response = super().send(
            request, stream=True, timeout=self.timeouts, verify=verify, cert=cert, proxies=None
        )
        if 300 <= response.status_code < 400:
            response.close()
            raise RefusedRequest(_("The server answered with a redirect."), request=request)
        body = response.raw.read(self.max_bytes + 1, decode_content=True)
        response.close()
        if len(body) > self.max_bytes:
            raise RefusedRequest(_("The server's answer is too long."), request=request)
        response._content = body
        return response


def guarded_session(
    *, allow_loopback: bool, refusal: str, timeouts: tuple[float, float], max_bytes: int
) -> requests.Session:
    """A requests session whose every request goes through `PublicAddressesOnly`."""
    session = requests.Session()
    session.trust_env = False  # no proxies or .netrc from the environment
    session.max_redirects = 0
    transport = PublicAddressesOnly(
        allow_loopback=allow_loopback, refusal=refusal, timeouts=timeouts, max_bytes=max_bytes
    )
    session.mount("http://", transport)
    session.mount("https://", transport)
    return session
