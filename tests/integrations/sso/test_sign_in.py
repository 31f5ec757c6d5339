"""Signing in through an organization's OpenID Connect provider, against a real provider."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.test import Client

from perfmgmt.tenancy.models import Membership, MembershipStatus
from tests.accounts.helpers import is_signed_in, verify_email
from tests.factories import MembershipFactory
from tests.faults import free_port
from tests.integrations.sso.conftest import Provider, configure, sso_sign_in

pytestmark = pytest.mark.django_db


def test_a_member_signs_in_through_their_organizations_provider_and_opens_its_pages(
    org, provider: Provider
) -> None:
    configure(org, provider)
    user = verify_email(org.report.user)
    sub = provider.person("rita", user.email)
    client = Client()
    answer = sso_sign_in(client, typed="acme", sub=sub, next_url="/o/acme/")
    assert answer.status_code == 302, answer.content.decode()
    assert answer["Location"] == "/o/acme/"
    assert is_signed_in(client)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/o/acme/").status_code == 200


def test_a_work_address_at_a_claimed_domain_routes_to_that_organizations_provider(
    org, provider: Provider
) -> None:
    configure(org, provider, email_domains=["acme.example"])
    user = verify_email(org.report.user)
    sub = provider.person("rita-by-domain", user.email)
    client = Client()
    answer = sso_sign_in(client, typed="Rita@ACME.example", sub=sub)
    assert answer.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_an_unknown_organization_or_a_contested_domain_routes_nowhere(
    org, other_org, provider: Provider
) -> None:
    configure(org, provider, email_domains=["shared.example"])
    configure(other_org, provider, email_domains=["shared.example"])
    client = Client()
    for typed in ("no-such-organization", "someone@shared.example", "x@unclaimed.example"):
        answer = client.post("/accounts/sso/", {"organization": typed})
        assert answer.status_code == 400
        assert "No single sign-on is set up for this" in answer.content.decode()
    assert client.post("/accounts/sso/", {"organization": ""}).status_code == 400


def test_a_provider_address_without_a_membership_signs_nobody_in_and_creates_nothing(
    org, other_org, provider: Provider
) -> None:
    configure(org, provider)
    outsider = verify_email(other_org.report.user)  # a login of the other organization only
    sub = provider.person("outsider", outsider.email)
    logins, memberships = get_user_model().objects.count(), Membership.unscoped.count()
    client = Client()
    answer = sso_sign_in(client, typed="acme", sub=sub)
    assert answer.status_code == 302
    assert answer["Location"] == "/accounts/login/"
    assert not is_signed_in(client)
    assert get_user_model().objects.count() == logins
    assert Membership.unscoped.count() == memberships
    assert not Membership.unscoped.filter(organization=org.organization, user=outsider).exists()


def test_an_address_nobody_has_signs_nobody_in_and_makes_no_login(org, provider) -> None:
    configure(org, provider)
    sub = provider.person("stranger", "stranger@elsewhere.example")
    logins = get_user_model().objects.count()
    client = Client()
    sso_sign_in(client, typed="acme", sub=sub)
    assert not is_signed_in(client)
    assert get_user_model().objects.count() == logins


def test_an_address_the_provider_did_not_verify_is_refused(org, provider) -> None:
    configure(org, provider)
    user = verify_email(org.report.user)
    sub = provider.person("unverified", user.email, verified=False)
    client = Client()
    sso_sign_in(client, typed="acme", sub=sub)
    assert not is_signed_in(client)


def test_a_member_who_left_can_no_longer_sign_in_through_the_provider(org, provider) -> None:
    configure(org, provider)
    user = verify_email(org.report.user)
    Membership.unscoped.filter(pk=org.report.pk).update(status=MembershipStatus.LEFT)
    sub = provider.person("left", user.email)
    client = Client()
    sso_sign_in(client, typed="acme", sub=sub)
    assert not is_signed_in(client)


def test_a_sign_in_leaves_the_shared_login_unchanged(org, other_org, provider) -> None:
    shared = verify_email(org.report.user)
    MembershipFactory.create(organization=other_org.organization, user=shared)
    configure(org, provider)
    fields = ["email", "password", "full_name", "is_active", "is_staff", "is_superuser"]
    before = get_user_model().objects.values(*fields).get(pk=shared.pk)
    sub = provider.person("shared", shared.email)
    client = Client()
    sso_sign_in(client, typed="acme", sub=sub)
    assert is_signed_in(client)
    after = get_user_model().objects.values(*fields).get(pk=shared.pk)
    assert after == before
    assert not SocialAccount.objects.filter(user=shared).exists()


def test_the_sign_in_page_offers_the_organizations_sso_without_listing_any(org, provider) -> None:
    configure(org, provider)
    page = Client().get("/accounts/login/").content.decode()
    assert "Sign in with your organization&#x27;s SSO" in page or "organization's SSO" in page
    assert org.organization.name not in page
    assert "/accounts/oidc/" not in page


def test_a_provider_that_does_not_answer_is_a_clear_error_not_a_500(org) -> None:
    stopped = Provider(url=f"http://127.0.0.1:{free_port()}")  # nothing listens there
    configure(org, stopped)
    answer = Client().post("/accounts/sso/", {"organization": "acme"})
    assert answer.status_code == 503
    assert "identity provider cannot be reached right now" in answer.content.decode()
