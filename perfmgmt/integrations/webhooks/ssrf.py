"""The only way a webhook reaches the network, guarded against server-side request forgery.

- Only http and https URLs, without credentials in them.
- The name is resolved once; every address it resolves to must be public (no loopback,
  private, shared, link-local (the 169.254.169.254 metadata service), multicast, reserved or
  unspecified address, also not inside an IPv4-mapped IPv6 address). The request then goes
  to exactly that checked address, so a second lookup cannot answer differently; the Host
  header and TLS server name stay the URL's name.
- No redirect is followed (a 3xx is a failed delivery); short connect and read timeouts;
  at most `MAX_RESPONSE_BYTES` of the answer are read.

`WEBHOOKS_ALLOW_PRIVATE_ADDRESSES_FOR_TESTS` (default False, set only by the tests'
receiver fixture) lets loopback addresses through; nothing else, never the metadata service.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

MAX_RESPONSE_BYTES = 64 * 1024
MAX_URL_LENGTH = 2000
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeURL(Exception):
    """The URL may not be called; `message` says why, for the person who registered it."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class DeliveryFailed(Exception):
    """The request could not be completed (refused, timed out, TLS failed)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes


def _allow_loopback() -> bool:
    return bool(getattr(settings, "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES_FOR_TESTS", False))


def _timeouts() -> tuple[float, float]:
    connect = float(getattr(settings, "WEBHOOKS_CONNECT_TIMEOUT_SECONDS", 3.0))
    read = float(getattr(settings, "WEBHOOKS_READ_TIMEOUT_SECONDS", 5.0))
    return connect, read


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


def _allowed(address: IPAddress) -> bool:
    if is_public(address):
        return True
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return _allow_loopback() and address.is_loopback


def resolve(target: Target) -> IPAddress:
    """The one address to connect to: every address the name resolves to is checked."""
    try:
        found = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UnsafeURL(_("This address could not be found.")) from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found]
    if not addresses:
        raise UnsafeURL(_("This address could not be found."))
    if not all(_allowed(address) for address in addresses):
        raise UnsafeURL(
            _("This address is not on the public internet; webhooks only go to public servers.")
        )
    return addresses[0]


def check(url: str) -> Target:
    """Validate a URL for registration (the same checks a delivery makes)."""
    target = parse(url)
    resolve(target)
    return target


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, address: IPAddress, timeouts: tuple[float, float]):
        super().__init__(target.host, target.port, timeout=timeouts[0])
        self._address, self._read_timeout = str(address), timeouts[1]

    def _open(self) -> socket.socket:
        sock = socket.create_connection((self._address, self.port), timeout=self.timeout)
        sock.settimeout(self._read_timeout)
        return sock

    def connect(self) -> None:
        self.sock = self._open()


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    default_port = 443

    def connect(self) -> None:
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(self._open(), server_hostname=self.host)


def post(url: str, *, body: bytes, headers: dict[str, str]) -> Answer:
    """POST `body` to `url` once (no redirects). UnsafeURL or DeliveryFailed when it could
    not be sent; otherwise the answer, whatever its status."""
    target = parse(url)
    address = resolve(target)
    kind = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = kind(target, address, _timeouts())
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read(MAX_RESPONSE_BYTES)
        status = response.status
    except TimeoutError:
        raise DeliveryFailed(_("The server did not answer in time.")) from None
    except (OSError, http.client.HTTPException) as error:
        raise DeliveryFailed(
            _("The connection failed: %(error)s") % {"error": type(error).__name__}
        ) from None
    finally:
        connection.close()
    return Answer(status, content)
