"""The client address that sign-in limits and API throttling count by."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from perfmgmt.accounts.client_address import client_address


def address_of(remote_address: str, forwarded_for: str | None) -> str | None:
    headers = {} if forwarded_for is None else {"X-Forwarded-For": forwarded_for}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote_address, headers=headers))


@pytest.mark.parametrize(
    ("forwarded_for", "expected"),
    [
        ("203.0.113.10", "203.0.113.10"),
        ("192.0.2.1, 203.0.113.10", "203.0.113.10"),
        (" 192.0.2.1 ,  203.0.113.10 ", "203.0.113.10"),
        ("203.0.113.10:51234", "203.0.113.10"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("2001:db8::1", "2001:db8::1"),
        (None, "10.0.0.2"),
        ("not an address", "10.0.0.2"),
        ("203.0.113.10, ", "10.0.0.2"),
    ],
)
def test_behind_one_proxy_the_client_is_the_entry_the_proxy_appended(
    settings, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = 1
    assert address_of("10.0.0.2", forwarded_for) == expected


def test_with_fewer_entries_than_trusted_proxies_the_connection_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 3
    assert address_of("10.0.0.2", "192.0.2.1, 203.0.113.10") == "10.0.0.2"


def test_without_trusted_proxies_x_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert address_of("203.0.113.10", "192.0.2.1") == "203.0.113.10"
