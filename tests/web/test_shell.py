"""The page shell around every page: navigation by role, organization switcher, unread count,
landmarks. Checked through real pages rendered by the Django test client."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from perfmgmt import urls as project_urls
from perfmgmt.notifications.services import notify
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, MembershipStatus, Role
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

# A project without the notification and API key pages (see the test that uses it).
urlpatterns = [
    entry
    for entry in project_urls.urlpatterns
    if getattr(entry, "namespace", None) not in ("notifications", "api_credentials")
]

ROLE_ONLY_ENTRIES = {"Invite", "Teams", "Audit log", "Settings", "API keys"}


def main_navigation(html: str) -> dict[str, str]:
    """Label -> URL of the links in the main navigation landmark."""
    nav = re.search(r'<nav class="main-nav" aria-label="Main">(.*?)</nav>', html, re.S)
    assert nav, "the page has no main navigation"
    return {label: url for url, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav[1])}


def current_navigation_entry(html: str) -> list[str]:
    nav = re.search(r'<nav class="main-nav" aria-label="Main">(.*?)</nav>', html, re.S)
    assert nav
    return re.findall(r'<a href="[^"]+" aria-current="page">([^<]+)</a>', nav[1])


def switcher_entries(html: str) -> dict[str, str]:
    """Organization name -> URL in the organization switcher."""
    menu = re.search(r'<details class="menu org-switcher">(.*?)</details>', html, re.S)
    assert menu, "the page has no organization switcher"
    links = re.findall(r'<a class="menu-item" href="([^"]+)"[^>]*>([^<]+)</a>', menu[1])
    return {name: url for url, name in links}


def header_unread_count(html: str) -> str:
    """The text of the unread badge in the header ('' when there is none)."""
    badge = re.search(r'<span id="notification-badge"[^>]*>(.*?)</span>\s*</a>', html, re.S)
    assert badge, "the header has no notification badge"
    count = re.search(r'<span class="badge badge-count">(\d+)', badge[1])
    return count[1] if count else ""


def home(client: Client, organization_slug: str) -> str:
    response = client.get(f"/o/{organization_slug}/")
    assert response.status_code == 200
    return response.content.decode()


def give_notifications(member: Membership, *, unread: int, read: int = 0) -> None:
    with organization_scope(member.organization):
        for number in range(unread + read):
            notification, _created = notify(
                recipient=member,
                kind="test",
                key=f"shell-test:{member.pk}:{number}",
                title=f"Message {number}",
                email=False,
            )
            if number >= unread:
                notification.read_at = notification.created_at
                notification.save(update_fields=["read_at"])


def test_an_employee_sees_only_the_pages_everyone_can_use(org: OrgPeople, client_for) -> None:
    navigation = main_navigation(home(client_for(org.report), "acme"))

    foundation = [label for label in navigation if label in ("Home", "People", "Org chart")]
    assert foundation == ["Home", "People", "Org chart"]
    assert list(navigation)[-1] == "API docs"
    assert navigation["People"] == "/o/acme/people/"
    assert navigation["Org chart"] == "/o/acme/people/org-chart/"
    assert not ROLE_ONLY_ENTRIES & set(navigation)


def test_an_hr_admin_also_sees_invite_teams_and_the_audit_log(org: OrgPeople, client_for) -> None:
    navigation = main_navigation(home(client_for(org.hr), "acme"))

    assert navigation["Invite"] == "/o/acme/people/invite/"
    assert navigation["Teams"] == "/o/acme/people/teams/"
    assert navigation["Audit log"] == "/o/acme/people/audit/"
    assert "Settings" not in navigation
    assert "API keys" not in navigation


def test_an_owner_sees_settings_and_api_keys_too(org: OrgPeople, client_for) -> None:
    navigation = main_navigation(home(client_for(org.owner), "acme"))

    assert set(navigation) >= ROLE_ONLY_ENTRIES
    assert navigation["Settings"] == "/o/acme/settings/"
    assert navigation["API keys"] == "/o/acme/settings/api/"


@pytest.mark.parametrize(
    ("who", "entry", "status"),
    [
        ("report", "/o/acme/people/invite/", 403),
        ("report", "/o/acme/people/audit/", 403),
        ("report", "/o/acme/settings/", 403),
        ("report", "/o/acme/settings/api/", 403),
        ("hr", "/o/acme/settings/", 403),
        ("hr", "/o/acme/settings/api/", 403),
        ("hr", "/o/acme/people/invite/", 200),
        ("owner", "/o/acme/settings/api/", 200),
    ],
)
def test_pages_left_out_of_the_navigation_are_refused_to_that_role(
    org: OrgPeople, client_for, who: str, entry: str, status: int
) -> None:
    assert client_for(getattr(org, who)).get(entry).status_code == status


def test_the_navigation_marks_the_page_being_shown(org: OrgPeople, client_for) -> None:
    client = client_for(org.hr)

    assert current_navigation_entry(home(client, "acme")) == ["Home"]
    chart = client.get("/o/acme/people/org-chart/").content.decode()
    assert current_navigation_entry(chart) == ["Org chart"]
    profile = client.get(f"/o/acme/people/{org.report.pk}/").content.decode()
    assert current_navigation_entry(profile) == ["People"]


def test_the_switcher_lists_every_organization_of_the_login_and_marks_the_current_one(
    org: OrgPeople, other_org: OrgPeople, client_for
) -> None:
    MembershipFactory.create(organization=other_org.organization, user=org.hr.user)
    unrelated = OrganizationFactory.create(slug="initech", name="Initech")
    MembershipFactory.create(organization=unrelated)

    html = home(client_for(org.hr), "acme")

    assert switcher_entries(html) == {"Acme": "/o/acme/", "Globex": "/o/globex/"}
    assert re.search(r'href="/o/acme/" aria-current="page">Acme<', html)
    assert "Initech" not in html


@pytest.mark.parametrize("status", [MembershipStatus.LEFT, MembershipStatus.INVITED])
def test_the_switcher_leaves_out_organizations_the_person_cannot_enter(
    org: OrgPeople, other_org: OrgPeople, client_for, status: str
) -> None:
    MembershipFactory.create(
        organization=other_org.organization, user=org.report.user, status=status
    )

    html = home(client_for(org.report), "acme")

    assert switcher_entries(html) == {"Acme": "/o/acme/"}
    assert "Globex" not in html


def test_the_header_shows_how_many_of_my_notifications_are_unread(
    org: OrgPeople, other_org: OrgPeople, client_for
) -> None:
    give_notifications(org.report, unread=3, read=2)
    give_notifications(org.colleague, unread=5)
    give_notifications(other_org.report, unread=7)

    html = home(client_for(org.report), "acme")

    assert header_unread_count(html) == "3"
    assert 'href="/o/acme/notifications/"' in html


def test_the_header_shows_no_count_when_everything_is_read(org: OrgPeople, client_for) -> None:
    give_notifications(org.report, unread=0, read=2)

    assert header_unread_count(home(client_for(org.report), "acme")) == ""


def test_the_header_badge_refreshes_from_the_badge_partial_with_the_same_markup(
    org: OrgPeople, client_for
) -> None:
    """The header polls the badge URL into its count slot: the answer must be a count, not a
    second link (a link inside the bell's link, with a duplicate id)."""
    give_notifications(org.report, unread=2)
    client = client_for(org.report)
    html = home(client, "acme")
    slot = re.search(r'<span id="notification-badge"([^>]*)>', html)
    assert slot
    badge_url = re.search(r'hx-get="([^"]+)"', slot[1])
    assert badge_url
    assert badge_url[1] == "/o/acme/notifications/badge/"
    assert "notifications-changed from:body" in slot[1], "marking read must refresh the count"

    partial = client.get(badge_url[1], headers={"HX-Request": "true"})

    assert partial.status_code == 200
    fragment = partial.content.decode()
    assert "<a " not in fragment
    assert 'id="notification-badge"' not in fragment
    assert re.search(r'<span class="badge badge-count">2<', fragment)


def test_every_page_has_landmarks_a_skip_link_and_a_language(org: OrgPeople, client_for) -> None:
    html = home(client_for(org.report), "acme")

    assert '<html lang="en">' in html
    assert '<a class="skip-link" href="#main">Skip to content</a>' in html
    assert re.search(r'<header class="site-header">', html)
    assert re.search(r'<main id="main"', html)
    assert 'aria-label="Main"' in html
    assert '<span class="visually-hidden">Notifications</span>' in html
    assert '<span class="visually-hidden">Organization: </span>' in html
    assert "<title>Home · Acme · perfmgmt</title>" in html


def test_the_account_menu_names_the_login_and_offers_sign_out(org: OrgPeople, client_for) -> None:
    html = home(client_for(org.report), "acme")

    assert f'<strong class="account-email">{org.report.user.email}</strong>' in html
    assert re.search(r'<form method="post" action="/accounts/logout/"', html)
    assert "Two-factor authentication" in html


def test_signed_out_visitors_are_sent_to_sign_in_and_see_no_shell(org: OrgPeople) -> None:
    client = Client()

    response = client.get("/o/acme/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/o/acme/")

    login_page = client.get("/accounts/login/").content.decode()
    assert "org-switcher" not in login_page
    assert 'aria-label="Main"' not in login_page


def test_an_organization_page_outside_the_login_memberships_shows_no_shell_data(
    org: OrgPeople, other_org: OrgPeople, client_for
) -> None:
    response = client_for(org.owner).get("/o/globex/")

    assert response.status_code == 404
    assert b"Globex" not in response.content


def test_the_navigation_follows_a_role_change(org: OrgPeople, client_for) -> None:
    client = client_for(org.colleague)
    assert "Invite" not in main_navigation(home(client, "acme"))

    with organization_scope(org.organization):
        Membership.objects.filter(pk=org.colleague.pk).update(role=Role.HR_ADMIN)

    assert "Invite" in main_navigation(home(client, "acme"))


class FormControls(HTMLParser):
    """Ids of labelled controls, and every form control that needs a label."""

    def __init__(self) -> None:
        super().__init__()
        self.labelled: set[str] = set()
        self.controls: list[tuple[str, str]] = []  # (id or "", name)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "label" and attributes.get("for"):
            self.labelled.add(attributes["for"])
        needs_label = tag in ("select", "textarea") or (
            tag == "input"
            and attributes.get("type", "text") not in ("hidden", "submit", "button", "reset")
        )
        if needs_label and not attributes.get("aria-label"):
            self.controls.append((attributes.get("id", ""), attributes.get("name", "")))

    def unlabelled(self) -> list[tuple[str, str]]:
        return [(id_, name) for id_, name in self.controls if id_ not in self.labelled]


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("hr", "/o/acme/people/"),
        ("hr", "/o/acme/people/invite/"),
        ("hr", "/o/acme/people/teams/"),
        ("hr", "/o/acme/people/audit/"),
        ("hr", "/o/acme/people/{report}/edit/"),
        ("owner", "/o/acme/settings/"),
        ("owner", "/o/acme/settings/api/new/"),
        ("owner", "/orgs/new/"),
    ],
)
def test_every_form_control_has_a_label(org: OrgPeople, client_for, who: str, url: str) -> None:
    response = client_for(getattr(org, who)).get(url.format(report=org.report.pk))
    assert response.status_code == 200
    parser = FormControls()
    parser.feed(response.content.decode())

    assert parser.controls, "the page has no form controls"
    assert parser.unlabelled() == []


def test_a_field_with_an_error_is_marked_invalid_for_assistive_technology(
    org: OrgPeople, client_for
) -> None:
    response = client_for(org.hr).post("/o/acme/people/invite/", {"email": "nope"})
    html = response.content.decode()

    email = re.search(r'<input type="email" name="email"[^>]*>', html)
    assert email
    assert 'aria-invalid="true"' in email[0]


@pytest.mark.urls("tests.web.test_shell")
def test_the_shell_leaves_out_links_to_pages_that_are_not_installed(
    org: OrgPeople, client_for
) -> None:
    html = home(client_for(org.owner), "acme")
    navigation = main_navigation(html)

    assert "API keys" not in navigation
    assert "Settings" in navigation
    assert "notifications-bell" not in html
    assert "notification-badge" not in html


def test_a_page_outside_the_navigation_marks_no_entry_as_current(
    org: OrgPeople, client_for
) -> None:
    """Every organization page starts with the home page's URL; only the home page itself is
    "Home"."""
    inbox = client_for(org.report).get("/o/acme/notifications/")

    assert inbox.status_code == 200
    assert current_navigation_entry(inbox.content.decode()) == []
