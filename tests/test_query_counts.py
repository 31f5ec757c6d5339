"""List pages and list endpoints run the same number of queries at 5 rows and at 50.

Each case builds two organizations of different sizes (people with managers, teams, mixed
statuses; notifications; audit entries; keys), requests the same page in both, and compares
the number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from perfmgmt.api import services as credential_services
from perfmgmt.api.models import Scope
from perfmgmt.notifications.services import notify
from perfmgmt.tenancy import services as people_services
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, MembershipStatus, Organization, Role, Team
from tests.conftest import login
from tests.factories import MembershipFactory, OrganizationFactory, TeamFactory

pytestmark = pytest.mark.django_db

SMALL, LARGE = 5, 50
STATUSES = [MembershipStatus.ACTIVE, MembershipStatus.ON_LEAVE, MembershipStatus.INVITED]


@dataclass
class Sized:
    organization: Organization
    owner: Membership
    manager: Membership
    people: list[Membership]


def build(size: int) -> Sized:
    """An organization of `size` people: an owner, a manager with a chain of reports below,
    teams and statuses spread out, and one person who left."""
    organization = OrganizationFactory.create(slug=f"size-{size}", name=f"Size {size}")
    teams: list[Team] = [
        TeamFactory.create(organization=organization, name=f"Team {n}") for n in range(3)
    ]
    owner: Membership = MembershipFactory.create(
        organization=organization, role=Role.OWNER, team=teams[0]
    )
    people = [owner]
    for number in range(1, size):
        person: Membership = MembershipFactory.create(
            organization=organization,
            manager=people[(number - 1) // 2],  # a tree, several levels deep
            team=teams[number % 3] if number % 4 else None,
            status=STATUSES[number % 3],
        )
        people.append(person)
    MembershipFactory.create(organization=organization, manager=owner, status=MembershipStatus.LEFT)
    return Sized(organization, owner, people[1], people)


def count_queries(request: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = request()
    assert getattr(response, "status_code", None) == 200
    return len(queries)


def compare(make_request: Callable[[Sized], Callable[[], object]]) -> tuple[int, int]:
    small, large = build(SMALL), build(LARGE)
    small_request, large_request = make_request(small), make_request(large)
    small_request()  # warm up once-per-process lookups (content types, sites)
    large_request()
    return count_queries(small_request), count_queries(large_request)


def page_as(member: Callable[[Sized], Membership], url: str) -> Callable[[Sized], Callable]:
    def make(sized: Sized) -> Callable[[], object]:
        client = login(Client(), member(sized))
        full_url = url.format(slug=sized.organization.slug)
        return lambda: client.get(full_url)

    return make


def as_owner(sized: Sized) -> Membership:
    return sized.owner


def as_manager(sized: Sized) -> Membership:
    return sized.manager


@pytest.mark.parametrize(
    ("member", "url"),
    [
        (as_owner, "/o/{slug}/people/"),
        (as_manager, "/o/{slug}/people/"),
        (as_owner, "/o/{slug}/people/?status=invited&q=example"),
        (as_manager, "/o/{slug}/people/org-chart/"),
        (as_owner, "/o/{slug}/people/teams/"),
        (as_owner, "/o/{slug}/"),
        (as_manager, "/o/{slug}/"),
    ],
    ids=[
        "directory",
        "directory-as-employee",
        "directory-filtered",
        "org-chart",
        "teams",
        "home-owner",
        "home-manager",
    ],
)
def test_people_pages_run_a_fixed_number_of_queries(
    member: Callable[[Sized], Membership], url: str
) -> None:
    small, large = compare(page_as(member, url))

    assert small == large


def test_the_manager_home_page_lists_every_report_in_a_fixed_number_of_queries() -> None:
    def make(sized: Sized) -> Callable[[], object]:
        with organization_scope(sized.organization):
            Membership.objects.exclude(pk__in=[sized.owner.pk, sized.manager.pk]).update(
                manager=sized.manager
            )
        client = login(Client(), sized.manager)
        return lambda: client.get(f"/o/{sized.organization.slug}/")

    small, large = compare(make)

    assert small == large


def test_the_inbox_runs_a_fixed_number_of_queries() -> None:
    def make(sized: Sized) -> Callable[[], object]:
        with organization_scope(sized.organization):
            for number in range(len(sized.people)):
                notify(
                    recipient=sized.manager,
                    kind="test",
                    key=f"count:{number}",
                    title=f"Note {number}",
                    url=f"/o/{sized.organization.slug}/people/",
                    email=False,
                )
        client = login(Client(), sized.manager)
        return lambda: client.get(f"/o/{sized.organization.slug}/notifications/")

    small, large = compare(make)

    assert small == large


def test_the_audit_log_runs_a_fixed_number_of_queries() -> None:
    def make(sized: Sized) -> Callable[[], object]:
        with organization_scope(sized.organization):
            for person in sized.people[1:]:
                people_services.member_update(
                    actor=sized.owner, member=person, job_title="Changed title"
                )
        client = login(Client(), sized.owner)
        return lambda: client.get(f"/o/{sized.organization.slug}/people/audit/")

    small, large = compare(make)

    assert small == large


def test_the_api_key_list_runs_a_fixed_number_of_queries() -> None:
    def make(sized: Sized) -> Callable[[], object]:
        with organization_scope(sized.organization):
            for number in range(len(sized.people)):
                credential_services.credential_create(
                    actor=sized.owner, name=f"Key {number}", scopes=[Scope.MEMBERS_READ]
                )
        client = login(Client(), sized.owner)
        return lambda: client.get(f"/o/{sized.organization.slug}/settings/api/")

    small, large = compare(make)

    assert small == large


@pytest.mark.parametrize("who", ["owner", "manager"])
def test_the_members_api_list_runs_a_fixed_number_of_queries(who: str) -> None:
    def make(sized: Sized) -> Callable[[], object]:
        client = APIClient()
        client.force_login(
            getattr(sized, who).user, backend="django.contrib.auth.backends.ModelBackend"
        )
        url = f"/api/v1/orgs/{sized.organization.slug}/members/?page_size=200"

        # The person who left is listed for HR (the owner) only.
        expected = len(sized.people) + (1 if who == "owner" else 0)

        def request() -> object:
            response = client.get(url)
            assert len(response.json()["results"]) == expected
            return response

        return request

    small, large = compare(make)

    assert small == large


def test_the_members_api_list_with_a_key_runs_a_fixed_number_of_queries() -> None:
    def make(sized: Sized) -> Callable[[], object]:
        with organization_scope(sized.organization):
            _credential, key = credential_services.credential_create(
                actor=sized.owner, name="Counter", scopes=[Scope.MEMBERS_READ]
            )
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        return lambda: client.get(f"/api/v1/orgs/{sized.organization.slug}/members/?page_size=200")

    small, large = compare(make)

    assert small == large
