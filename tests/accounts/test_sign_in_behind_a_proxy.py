"""Failed-login limits count per account and per real client, also behind reverse proxies.

The proxy connects from PROXY and appends the address it received the request from to
X-Forwarded-For; whatever a client writes into that header itself stays to the left.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.accounts.helpers import is_signed_in, sign_in, verify_email
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
TOO_MANY = "Too many failed login attempts"


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def connecting_from(address: str, forwarded_for: str) -> Client:
    return Client(REMOTE_ADDR=address, headers={"X-Forwarded-For": forwarded_for})


def through_proxy(client_address: str, sent_by_client: str = "") -> Client:
    """A browser at client_address, reaching the app through the proxy."""
    forwarded = f"{sent_by_client}, {client_address}" if sent_by_client else client_address
    return connecting_from(PROXY, forwarded)


def fail_to_sign_in(client: Client, email: str) -> None:
    response = sign_in(client, email, "not the password")
    assert not is_signed_in(client)
    assert TOO_MANY not in response.content.decode()


def test_five_failed_sign_ins_from_one_client_do_not_block_another_client_behind_the_proxy(
    org, behind_one_proxy
):
    verify_email(org.report.user)
    verify_email(org.report2.user)
    attacker = through_proxy("203.0.113.10")
    for _ in range(5):
        sign_in(attacker, org.report.user.email, "not the password")

    someone_else = through_proxy("198.51.100.20")
    sign_in(someone_else, org.report2.user.email, PASSWORD)

    assert is_signed_in(someone_else)


def test_five_failures_on_one_account_from_different_clients_block_that_account_only(
    org, behind_one_proxy
):
    victim = verify_email(org.report.user)
    verify_email(org.report2.user)
    for number in range(5):
        fail_to_sign_in(through_proxy(f"203.0.113.{number + 1}"), victim.email)

    owner = through_proxy("198.51.100.20")
    refused = sign_in(owner, victim.email, PASSWORD)
    assert not is_signed_in(owner)
    assert TOO_MANY in refused.content.decode()

    colleague = through_proxy("198.51.100.20")
    sign_in(colleague, org.report2.user.email, PASSWORD)
    assert is_signed_in(colleague)


def test_one_client_failing_on_many_accounts_is_stopped_at_twenty_but_others_are_not(
    org, behind_one_proxy
):
    user = verify_email(org.report.user)
    # The client writes a new address of its own each time; the proxy's entry stays its own.
    for number in range(20):
        fail_to_sign_in(
            through_proxy("203.0.113.10", sent_by_client=f"192.0.2.{number}"),
            f"guess{number}@example.com",
        )

    attacker = through_proxy("203.0.113.10", sent_by_client="192.0.2.99")
    refused = sign_in(attacker, user.email, PASSWORD)
    assert not is_signed_in(attacker)
    assert TOO_MANY in refused.content.decode()

    someone_else = through_proxy("198.51.100.20")
    sign_in(someone_else, user.email, PASSWORD)
    assert is_signed_in(someone_else)


def test_behind_two_proxies_the_client_is_the_second_entry_from_the_right(org, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    user = verify_email(org.report.user)
    outer_proxy = "10.0.1.1"
    for number in range(20):
        client = connecting_from(PROXY, f"192.0.2.{number}, 203.0.113.10, {outer_proxy}")
        fail_to_sign_in(client, f"guess{number}@example.com")

    same_client = connecting_from(PROXY, f"203.0.113.10, {outer_proxy}")
    sign_in(same_client, user.email, PASSWORD)
    assert not is_signed_in(same_client)

    other_client = connecting_from(PROXY, f"198.51.100.20, {outer_proxy}")
    sign_in(other_client, user.email, PASSWORD)
    assert is_signed_in(other_client)


def test_a_request_that_skipped_a_trusted_proxy_is_counted_by_its_connection_not_a_500(
    org, settings
):
    settings.TRUSTED_PROXY_COUNT = 2
    user = verify_email(org.report.user)
    # One entry where two proxies would have written two: no entry can be trusted.
    for number in range(20):
        fail_to_sign_in(
            connecting_from("203.0.113.10", f"192.0.2.{number}"), f"guess{number}@example.com"
        )

    direct = connecting_from("203.0.113.10", "192.0.2.99")
    refused = sign_in(direct, user.email, PASSWORD)

    assert refused.status_code == 200
    assert TOO_MANY in refused.content.decode()


def test_without_trusted_proxies_a_client_cannot_choose_its_address_with_x_forwarded_for(
    org, settings
):
    settings.TRUSTED_PROXY_COUNT = 0
    user = verify_email(org.report.user)
    for number in range(20):
        fail_to_sign_in(
            connecting_from("203.0.113.10", f"192.0.2.{number}"), f"guess{number}@example.com"
        )

    spoofing = connecting_from("203.0.113.10", "192.0.2.99")
    sign_in(spoofing, user.email, PASSWORD)

    assert not is_signed_in(spoofing)
