"""The URL and address rules of perfmgmt/integrations/webhooks/ssrf.py."""

from __future__ import annotations

import ipaddress

import pytest
from django.test import override_settings

from perfmgmt.integrations.webhooks import ssrf


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "100.64.0.1",
        "169.254.169.254",
        "0.0.0.0",  # noqa: S104 (an address refused, not bound)
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "::ffff:10.0.0.1",
    ],
)
def test_addresses_that_are_not_public_are_refused(address: str) -> None:
    assert not ssrf.is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1::1", "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert ssrf.is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "http://"),
        ("ftp://hooks.example.com/", "http://"),
        ("https://admin:secret@hooks.example.com/", "passwords"),
        ("https://", "valid URL"),
        ("https://hooks.example.com:99999/", "valid URL"),
        ("http://127.0.0.1/", "public"),
        ("http://localhost:8000/", "public"),
        ("http://[::1]/", "public"),
        ("http://169.254.169.254/latest/meta-data/", "public"),
        ("http://2130706433/", "public"),
        ("http://no-such-host.invalid/", "could not be found"),
        ("https://example.com/" + "a" * 2000, "at most"),
    ],
)
def test_urls_that_may_not_be_called_are_refused_with_a_reason(url: str, message: str) -> None:
    with pytest.raises(ssrf.UnsafeURL) as refused:
        ssrf.check(url)
    assert message in refused.value.message


def test_the_test_allowance_lets_loopback_through_but_never_the_metadata_service() -> None:
    with override_settings(WEBHOOKS_ALLOW_PRIVATE_ADDRESSES_FOR_TESTS=True):
        assert ssrf.check("http://127.0.0.1:8000/hook").port == 8000
        with pytest.raises(ssrf.UnsafeURL, match="public"):
            ssrf.check("http://169.254.169.254/")
        with pytest.raises(ssrf.UnsafeURL, match="public"):
            ssrf.check("http://10.0.0.1/")


def test_the_allowance_is_off_by_default() -> None:
    from django.conf import settings

    assert not getattr(settings, "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES_FOR_TESTS", False)
