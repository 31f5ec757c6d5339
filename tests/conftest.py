"""Every test database holds at least two organizations, so a leak shows up by default.

`org` is the organization under test with an owner, an HR admin, a manager with two reports
and an unrelated colleague; `other_org` is a second organization with people of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, Organization, Role
from tests.factories import MembershipFactory, OrganizationFactory, TeamFactory

PASSWORD = "correct horse battery"

pytest_plugins = ["tests.browser_fixtures"]


@dataclass
class OrgPeople:
    organization: Organization
    owner: Membership
    hr: Membership
    manager: Membership
    report: Membership
    report2: Membership
    colleague: Membership


def build_org(slug: str) -> OrgPeople:
    organization = OrganizationFactory.create(slug=slug, name=slug.replace("-", " ").title())
    team = TeamFactory.create(organization=organization, name="Engineering")

    def person(
        role: str = Role.EMPLOYEE, manager: Membership | None = None, name: str = ""
    ) -> Membership:
        member = MembershipFactory.create(
            organization=organization, role=role, manager=manager, team=team
        )
        if name:
            member.user.full_name = member.full_name = f"{name} ({slug})"
            member.user.save()
            member.save()
        return member

    owner = person(Role.OWNER, name="Olivia Owner")
    hr = person(Role.HR_ADMIN, manager=owner, name="Hana HR")
    manager = person(manager=owner, name="Max Manager")
    report = person(manager=manager, name="Rita Report")
    report2 = person(manager=manager, name="Ravi Report")
    colleague = person(manager=owner, name="Cora Colleague")
    return OrgPeople(organization, owner, hr, manager, report, report2, colleague)


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    """Throttle and rate-limit counters live in the (real, test-only) Redis database."""
    cache.clear()


@pytest.fixture
def org(db: None) -> OrgPeople:
    return build_org("acme")


@pytest.fixture
def other_org(db: None) -> OrgPeople:
    return build_org("globex")


@pytest.fixture(autouse=True)
def _two_organizations(request: pytest.FixtureRequest) -> None:
    """Any test touching the database also gets the second organization."""
    uses_db = request.node.get_closest_marker("django_db") is not None or any(
        name in request.fixturenames for name in ("db", "transactional_db", "live_server")
    )
    if uses_db:
        request.getfixturevalue("other_org")


@pytest.fixture
def scope(org: OrgPeople) -> Iterator[Organization]:
    """Run the test body inside the tenant scope of `org` (as a request or task would)."""
    with organization_scope(org.organization):
        yield org.organization


def login(client: Client, member: Membership) -> Client:
    client.force_login(member.user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def client_for(client: Client):
    """client_for(member) -> a Django test client signed in as that member's login."""

    def _client_for(member: Membership) -> Client:
        return login(Client(), member)

    return _client_for
