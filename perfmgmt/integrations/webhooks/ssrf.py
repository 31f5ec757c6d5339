"""The only way a webhook reaches the network, guarded against server-side request forgery.

The rules are those of perfmgmt/integrations/ssrf.py (http(s) only, every resolved address
public, the request sent to that checked address); here a webhook's own part of them:
no redirect is followed (a 3xx is a failed delivery), short connect and read timeouts, and
at most `MAX_RESPONSE_BYTES` of the answer are read.

`WEBHOOKS_ALLOW_PRIVATE_ADDRESSES_FOR_TESTS` (default False, set only by the tests'
receiver fixture) lets loopback addresses through; nothing else, never the metadata service.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from perfmgmt.integrations.ssrf import IPAddress, Target, UnsafeURL, is_public, parse
from perfmgmt.integrations.ssrf import resolve as _resolve

__all__ = ["Answer", "DeliveryFailed", "UnsafeURL", "check", "is_public", "parse", "post"]

MAX_RESPONSE_BYTES = 64 * 1024


class DeliveryFailed(Exception):
    """The request could not be completed (refused, timed out, TLS failed)."""


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


def resolve(target: Target) -> IPAddress:
    """The one address to connect to: every address the name resolves to is checked."""
    refusal = _("This address is not on the public internet; webhooks only go to public servers.")
    return _resolve(target, allow_loopback=_allow_loopback(), refusal=refusal)


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
