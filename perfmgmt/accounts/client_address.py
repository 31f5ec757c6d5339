"""Which address a request comes from, seen through the reverse proxies of the deployment."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings


def client_address(request: Any) -> str | None:
    """The client's IP address, for sign-in limits and API throttling alike.

    With `TRUSTED_PROXY_COUNT` = n, each of our n proxies appended the address it received the
    request from to X-Forwarded-For, so the client is the n-th entry from the right; whatever
    the client wrote into the header itself stays further left and is never read. A header with
    fewer entries did not pass through all our proxies, so none of its entries can be trusted
    and the connection's own address is used. (allauth answers that case with a 500 and DRF
    reads the left-most entry, which the client chose; hence one rule of our own for both.)

    `request` is a Django HttpRequest or a DRF Request (which forwards `META`).
    """
    connection = _ip_address(request.META.get("REMOTE_ADDR", ""))
    count: int = settings.TRUSTED_PROXY_COUNT
    forwarded: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded:
        return connection
    entries = forwarded.split(",")
    if len(entries) < count:
        return connection
    return _ip_address(entries[-count]) or connection


def _ip_address(value: str) -> str | None:
    """The address in `value` (a port, as some proxies write it, is dropped), or None."""
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 192.0.2.1:443
        value = value.partition(":")[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None
