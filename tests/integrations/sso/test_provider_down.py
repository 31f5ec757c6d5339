"""An identity provider whose published configuration cannot be fetched when someone signs
in: SAML metadata at a URL that stopped answering after the cache expired (the sign-in goes
on with the metadata kept from the last good fetch, and says so in the log), no usable
metadata at all, and an OpenID Connect provider gone at callback time: a clear page, never
a 500."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from oidc_provider_mock import run_server_in_thread

from perfmgmt.integrations.sso.models import OrganizationSso
from perfmgmt.integrations.sso.services import sso_configure
from perfmgmt.integrations.sso.settings import SsoInput
from perfmgmt.tenancy.context import organization_scope
from tests.accounts.helpers import is_signed_in, verify_email
from tests.conftest import OrgPeople
from tests.integrations.sso.conftest import Provider, configure, provider_link
from tests.integrations.sso.saml import (
    HOST,
    post_answer,
    register_service_provider,
    signed_answer,
    start_sign_in,
)
from tests.integrations.sso.saml_idp import IdentityProvider, running_identity_provider

pytestmark = pytest.mark.django_db

UNAVAILABLE = "identity provider cannot be reached right now"


def browser() -> Client:
    """A browser: a server error is a 500 page it is shown, not an exception in the test."""
    return Client(HTTP_HOST=HOST, raise_request_exception=False)


@pytest.fixture
def idp(tmp_path: Path) -> Iterator[IdentityProvider]:
    """A provider of this test's own (its metadata address is switched off here)."""
    with running_identity_provider(tmp_path, "flaky") as provider:
        yield provider


def configure_by_url(org: OrgPeople, idp: IdentityProvider) -> OrganizationSso:
    """The owner enters the provider's metadata URL and entity id (fetched to check them);
    the provider's administrator registers our service provider from our metadata page."""
    with organization_scope(org.organization):
        sso = sso_configure(
            actor=org.owner,
            signed_in_through_it=True,
            data=SsoInput(
                protocol="saml",
                saml_metadata_url=idp.metadata_url,
                saml_entity_id=idp.entity_id,
            ),
        )
    register_service_provider(sso, idp)
    return sso


def forget_kept_metadata(sso: OrganizationSso) -> None:
    OrganizationSso.unscoped.filter(pk=sso.pk).update(saml_metadata={})


def test_an_answer_posted_after_the_cache_expired_and_the_metadata_went_down_still_signs_in(
    org: OrgPeople, idp: IdentityProvider, caplog: pytest.LogCaptureFixture
) -> None:
    configure_by_url(org, idp)
    user = verify_email(org.report.user)
    idp.person("rita-flaky", user.email)
    client = browser()
    answer = signed_answer(start_sign_in(client, typed="acme"), username="rita-flaky")
    cache.clear()  # the metadata's cache entry expired while Rita was at the provider
    idp.metadata_down = True

    with caplog.at_level(logging.WARNING, logger="perfmgmt.integrations.sso.saml_metadata"):
        finished = post_answer(client, answer)

    assert finished.status_code == 302, finished.content.decode()
    assert client.session["_auth_user_id"] == str(user.pk)
    [warning] = [r for r in caplog.records if r.name.endswith("sso.saml_metadata")]
    assert idp.metadata_url in warning.getMessage()
    assert "kept" in warning.getMessage()


def test_with_no_usable_metadata_the_answer_is_a_clear_503_page_not_a_500(
    org: OrgPeople, idp: IdentityProvider
) -> None:
    sso = configure_by_url(org, idp)
    idp.person("rita-flaky", verify_email(org.report.user).email)
    client = browser()
    answer = signed_answer(start_sign_in(client, typed="acme"), username="rita-flaky")
    cache.clear()
    forget_kept_metadata(sso)
    idp.metadata_down = True

    finished = post_answer(client, answer)

    assert finished.status_code == 503
    assert "Identity provider unavailable" in finished.content.decode()
    assert not is_signed_in(client)


# What each page answers with metadata (SLS: a GET without a logout message is refused).
@pytest.mark.parametrize(("page", "working"), [("metadata/", 200), ("login/", 200), ("sls/", 400)])
def test_the_other_saml_pages_use_the_kept_metadata_or_answer_a_503(
    org: OrgPeople, idp: IdentityProvider, page: str, working: int
) -> None:
    sso = configure_by_url(org, idp)
    url = f"/accounts/saml/{sso.social_app.client_id}/{page}"
    cache.clear()
    idp.metadata_down = True

    kept = browser().get(url)
    assert kept.status_code == working, kept.content.decode()

    cache.clear()
    forget_kept_metadata(sso)
    missing = browser().get(url)
    assert missing.status_code == 503
    assert "Identity provider unavailable" in missing.content.decode()


def _kept_since(sso: OrganizationSso, fetched_at: str) -> None:
    kept = OrganizationSso.unscoped.get(pk=sso.pk).saml_metadata
    OrganizationSso.unscoped.filter(pk=sso.pk).update(
        saml_metadata={**kept, "fetched_at": fetched_at}
    )


@pytest.mark.parametrize("max_age_days", [7, 30])
def test_kept_metadata_is_used_up_to_its_maximum_age_and_not_after(
    org: OrgPeople,
    idp: IdentityProvider,
    caplog: pytest.LogCaptureFixture,
    settings: Any,
    max_age_days: int,
) -> None:
    settings.SAML_KEPT_METADATA_MAX_AGE_DAYS = max_age_days
    sso = configure_by_url(org, idp)
    url = f"/accounts/saml/{sso.social_app.client_id}/metadata/"
    idp.metadata_down = True
    now = timezone.now()

    _kept_since(sso, (now - timedelta(days=max_age_days, hours=-1)).isoformat())
    cache.clear()
    assert browser().get(url).status_code == 200

    _kept_since(sso, (now - timedelta(days=max_age_days, hours=1)).isoformat())
    cache.clear()
    with caplog.at_level(logging.WARNING, logger="perfmgmt.integrations.sso.saml_metadata"):
        too_old = browser().get(url)
    assert too_old.status_code == 503
    assert "Identity provider unavailable" in too_old.content.decode()
    said = [r.getMessage() for r in caplog.records if r.name.endswith("sso.saml_metadata")]
    assert [m for m in said if f"older than {max_age_days} days" in m], said

    # Metadata without a readable time of fetching is not trusted either.
    _kept_since(sso, "yesterday")
    cache.clear()
    assert browser().get(url).status_code == 503

    idp.metadata_down = False  # the provider is back: the sign-in pages work again
    cache.clear()
    assert browser().get(url).status_code == 200


def test_metadata_fetched_again_replaces_what_was_kept_and_a_new_address_drops_it(
    org: OrgPeople, idp: IdentityProvider, tmp_path: Path
) -> None:
    sso = configure_by_url(org, idp)
    kept = OrganizationSso.unscoped.get(pk=sso.pk).saml_metadata
    assert kept["url"] == idp.metadata_url
    assert kept["config"]["idp"]["entityId"] == idp.entity_id

    with running_identity_provider(tmp_path, "other") as other:
        configure_by_url(org, other)
        assert OrganizationSso.unscoped.get(pk=sso.pk).saml_metadata["url"] == other.metadata_url
        # The first provider's metadata is never used for the second one's address.
        OrganizationSso.unscoped.filter(pk=sso.pk).update(saml_metadata=kept)
        cache.clear()
        other.metadata_down = True
        assert browser().post("/accounts/sso/", {"organization": "acme"}).status_code == 503


def test_an_oidc_provider_gone_at_callback_time_is_a_clear_503_page_not_a_500(
    org: OrgPeople,
) -> None:
    client = browser()
    with run_server_in_thread() as server:
        gone = Provider(url=f"http://localhost:{server.server_port}")
        configure(org, gone)
        sub = gone.person("rita-oidc", verify_email(org.report.user).email)
        started = client.post("/accounts/sso/", {"organization": "acme"})
        authorize = provider_link(started)
        answer = requests.post(authorize, data={"sub": sub}, allow_redirects=False, timeout=5)
        callback = urlsplit(answer.headers["Location"])
    # The provider stops between its answer and our callback.

    finished = client.get(f"{callback.path}?{callback.query}")

    assert finished.status_code == 503
    assert "Identity provider unavailable" in finished.content.decode()
    assert not is_signed_in(client)
