"""The home page's "what's next" list, the start page after sign-in, and creating an
organization, through HTTP."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from perfmgmt.notifications.services import notify
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, MembershipStatus, Organization, Role
from perfmgmt.web import whats_next as whats_next_registry
from tests.conftest import OrgPeople, login
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

EMPTY_STATE = "You are all caught up."
FOUNDATION_PROVIDERS = {
    "unread_notifications",
    "pending_invitations",
    "people_without_a_manager",
    "direct_reports",
    "complete_your_profile",
    "set_up_two_factor_authentication",
}


@pytest.fixture(autouse=True)
def _foundation_providers_only() -> Iterator[None]:
    """Feature apps add their own items (check-ins due, goals, 1:1s) and test them; these
    tests are about the foundation's items and the list itself."""
    with whats_next_registry.restored_after():
        providers = [
            provider
            for provider in whats_next_registry._providers
            if provider.__name__ in FOUNDATION_PROVIDERS
        ]
        assert len(providers) == len(FOUNDATION_PROVIDERS)
        whats_next_registry.clear()
        for provider in providers:
            whats_next_registry.register(provider)
        yield


def whats_next(client: Client, slug: str = "acme") -> list[str]:
    """Titles of the "what's next" items, in the order shown."""
    response = client.get(f"/o/{slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    section = re.search(r'<section aria-labelledby="whats-next-heading".*?</section>', html, re.S)
    assert section
    titles = re.findall(r'<h3 class="item-title">(?:<a href="[^"]*">)?([^<]+)', section[0])
    return [title.strip() for title in titles]


def item_link(html: str, title: str) -> str:
    found = re.search(rf'<a href="([^"]+)">{re.escape(title)}</a>', html)
    assert found, f"no link for {title!r}"
    return found[1].replace("&amp;", "&")


def with_two_factor(member: Membership) -> Membership:
    Authenticator.objects.create(user=member.user, type=Authenticator.Type.TOTP, data={})
    return member


def test_an_employee_with_nothing_to_do_sees_an_empty_state_that_says_what_to_do(
    org: OrgPeople, client_for
) -> None:
    client = client_for(with_two_factor(org.colleague))

    response = client.get("/o/acme/")
    html = response.content.decode()

    assert whats_next(client) == []
    assert EMPTY_STATE in html
    assert '<a href="/o/acme/people/">Browse the people directory</a>' in html
    assert f"Hello, {org.colleague.display_name}" in html


def test_a_person_without_two_factor_is_asked_to_set_it_up(org: OrgPeople, client_for) -> None:
    client = client_for(org.colleague)

    assert whats_next(client) == ["Set up two-factor authentication"]
    html = client.get("/o/acme/").content.decode()
    assert item_link(html, "Set up two-factor authentication").startswith("/accounts/2fa/")
    assert EMPTY_STATE not in html


def test_a_person_without_a_job_title_is_asked_to_complete_their_profile(
    org: OrgPeople, client_for
) -> None:
    with organization_scope(org.organization):
        Membership.objects.filter(pk=org.colleague.pk).update(job_title="")
    client = client_for(with_two_factor(org.colleague))

    assert whats_next(client) == ["Complete your profile"]
    html = client.get("/o/acme/").content.decode()
    assert item_link(html, "Complete your profile") == f"/o/acme/people/{org.colleague.pk}/"


def test_unread_notifications_come_first_and_lead_to_the_inbox(
    org: OrgPeople, other_org: OrgPeople, client_for
) -> None:
    for member, count in ((org.colleague, 2), (org.report, 4), (other_org.colleague, 3)):
        with organization_scope(member.organization):
            for number in range(count):
                notify(recipient=member, kind="t", key=f"home:{number}", title="Hi", email=False)
    client = client_for(org.colleague)

    titles = whats_next(client)

    assert titles[0] == "You have 2 unread notifications"
    html = client.get("/o/acme/").content.decode()
    assert item_link(html, "You have 2 unread notifications") == "/o/acme/notifications/"


def test_a_manager_sees_each_direct_report_but_not_those_who_left(
    org: OrgPeople, client_for
) -> None:
    gone = MembershipFactory.create(
        organization=org.organization, manager=org.manager, status=MembershipStatus.LEFT
    )
    client = client_for(with_two_factor(org.manager))

    assert whats_next(client) == ["Your team: 2 direct reports"]
    html = client.get("/o/acme/").content.decode()
    assert item_link(html, "Your team: 2 direct reports") == "/o/acme/people/org-chart/"
    assert f'<a href="/o/acme/people/{org.report.pk}/">{org.report.display_name}</a>' in html
    assert f'<a href="/o/acme/people/{org.report2.pk}/">{org.report2.display_name}</a>' in html
    assert gone.display_name not in html


def test_hr_sees_pending_invitations_and_people_without_a_manager_of_their_own_organization(
    org: OrgPeople, other_org: OrgPeople, client_for
) -> None:
    invitee = MembershipFactory.create(
        organization=org.organization, status=MembershipStatus.INVITED, manager=org.owner
    )
    MembershipFactory.create(organization=org.organization)  # no manager
    MembershipFactory.create(organization=other_org.organization, status=MembershipStatus.INVITED)
    MembershipFactory.create(organization=other_org.organization)
    MembershipFactory.create(organization=other_org.organization)
    client = client_for(with_two_factor(org.hr))

    titles = whats_next(client)

    assert "1 person has not accepted an invitation yet" in titles
    assert "1 person has no manager" in titles
    html = client.get("/o/acme/").content.decode()
    invited = item_link(html, "1 person has not accepted an invitation yet")
    assert invited == "/o/acme/people/?status=invited"
    directory = client.get(invited).content.decode()
    assert directory.count('<span class="badge badge-invited">') == 1
    assert f'href="/o/acme/people/{invitee.pk}/"' in directory


def test_items_from_every_registered_provider_are_shown_most_important_first(
    org: OrgPeople, client_for, monkeypatch: pytest.MonkeyPatch
) -> None:
    def feature_items(membership: Membership) -> list[whats_next_registry.Item]:
        return [
            whats_next_registry.Item(
                title="Your review is overdue", priority=whats_next_registry.Priority.URGENT
            ),
            whats_next_registry.Item(
                title="Someday, maybe", priority=whats_next_registry.Priority.LOW - 1
            ),
        ]

    whats_next_registry.register(feature_items)
    whats_next_registry.register(feature_items)  # twice is once

    titles = whats_next(client_for(org.colleague))

    assert titles == [
        "Your review is overdue",
        "Set up two-factor authentication",
        "Someday, maybe",
    ]


def test_employees_do_not_see_the_hr_items(org: OrgPeople, client_for) -> None:
    MembershipFactory.create(organization=org.organization, status=MembershipStatus.INVITED)
    client = client_for(with_two_factor(org.colleague))

    assert whats_next(client) == []


def test_the_home_page_of_an_organization_i_am_not_in_is_a_404(
    org: OrgPeople, other_org: OrgPeople, client_for
) -> None:
    assert client_for(org.owner).get("/o/globex/").status_code == 404
    assert client_for(org.owner).get("/o/no-such-org/").status_code == 404


# --- The start page and creating an organization -------------------------------------------


def test_the_start_page_takes_someone_with_one_organization_straight_home(
    org: OrgPeople, client_for
) -> None:
    response = client_for(org.report).get("/")

    assert response.status_code == 302
    assert response["Location"] == "/o/acme/"


def test_the_start_page_lets_someone_in_several_organizations_choose(
    org: OrgPeople, other_org: OrgPeople, client_for
) -> None:
    MembershipFactory.create(organization=other_org.organization, user=org.report.user)

    response = client_for(org.report).get("/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "Choose an organization" in html
    assert re.findall(r'<a class="card card-link" href="(/o/[^"]+)"', html) == [
        "/o/acme/",
        "/o/globex/",
    ]


def test_the_start_page_tells_someone_without_an_organization_what_to_do(db: None) -> None:
    user = UserFactory.create(email="newcomer@example.com")
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

    html = client.get("/").content.decode()

    assert "You are not part of an organization yet" in html
    assert "ask your HR team to invite <strong>newcomer@example.com</strong>" in html
    assert 'href="/orgs/new/"' in html


def test_the_start_page_sends_visitors_to_sign_in(db: None) -> None:
    response = Client().get("/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"


def test_creating_an_organization_makes_the_creator_its_owner(db: None) -> None:
    user = UserFactory.create()
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

    response = client.post(
        "/orgs/new/", {"name": "Umbrella", "slug": "umbrella", "time_zone": "Europe/Paris"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/o/umbrella/"
    organization = Organization.objects.get(slug="umbrella")
    assert organization.time_zone == "Europe/Paris"
    owner = Membership.unscoped.get(organization=organization, user=user)
    assert owner.role == Role.OWNER
    home = client.get("/o/umbrella/").content.decode()
    assert "Umbrella is ready. Invite your colleagues." in home
    assert 'href="/o/umbrella/people/invite/"' in home


def test_a_taken_slug_is_refused_and_the_form_keeps_what_was_typed(org: OrgPeople) -> None:
    client = login(Client(), org.report)

    response = client.post(
        "/orgs/new/", {"name": "Second Acme", "slug": "acme", "time_zone": "Asia/Tokyo"}
    )
    html = response.content.decode()

    assert response.status_code == 400
    assert 'value="Second Acme"' in html
    assert 'value="acme"' in html
    assert re.search(r'<option value="Asia/Tokyo" selected>', html)
    assert 'class="errorlist' in html
    assert Organization.objects.filter(slug="acme").count() == 1


@pytest.mark.parametrize("slug", ["Not A Slug", "-edge-", "under_score", "x"])
def test_an_invalid_slug_gets_a_field_error(db: None, slug: str) -> None:
    client = Client()
    client.force_login(UserFactory.create(), backend="django.contrib.auth.backends.ModelBackend")

    response = client.post("/orgs/new/", {"name": "Thing", "slug": slug, "time_zone": "UTC"})

    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert not Organization.objects.filter(name="Thing").exists()


def test_creating_an_organization_needs_a_signed_in_person(db: None) -> None:
    response = Client().post("/orgs/new/", {"name": "X", "slug": "xyz", "time_zone": "UTC"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Organization.objects.filter(slug="xyz").exists()


def test_owners_change_the_organization_settings_and_others_may_not(
    org: OrgPeople, client_for
) -> None:
    data = {"name": "Acme Corp", "time_zone": "America/New_York", "locale": "en"}

    assert client_for(org.hr).post("/o/acme/settings/", data).status_code == 403
    response = client_for(org.owner).post("/o/acme/settings/", data)

    assert response.status_code == 302
    org.organization.refresh_from_db()
    assert org.organization.name == "Acme Corp"
    assert org.organization.time_zone == "America/New_York"


def test_an_unknown_time_zone_in_the_settings_is_a_400_that_keeps_the_name(
    org: OrgPeople, client_for
) -> None:
    data = {"name": "Acme Renamed", "time_zone": "Mars/Olympus", "locale": "en"}

    response = client_for(org.owner).post("/o/acme/settings/", data)

    assert response.status_code == 400
    assert 'value="Acme Renamed"' in response.content.decode()
    org.organization.refresh_from_db()
    assert org.organization.name == "Acme"
    assert org.organization.time_zone == "Europe/Berlin"
