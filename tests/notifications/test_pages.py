"""The notifications inbox through HTTP: only my notifications, mark one or all read, the
htmx row and badge partials."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from perfmgmt.notifications import views as notification_views
from perfmgmt.notifications.models import Notification
from perfmgmt.notifications.services import notify
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople

pytestmark = pytest.mark.django_db

INBOX = "/o/acme/notifications/"
HTMX = {"HX-Request": "true"}


def send(member: Membership, title: str, *, url: str = "", key: str = "") -> Notification:
    with organization_scope(member.organization):
        notification, _created = notify(
            recipient=member,
            kind="test",
            key=key or f"page-test:{title}",
            title=title,
            body=f"Body of {title}",
            url=url,
            email=False,
        )
    return notification


def is_read(notification: Notification) -> bool:
    with organization_scope(notification.organization):
        return Notification.objects.get(pk=notification.pk).read_at is not None


def inbox_titles(html: str) -> list[str]:
    blocks = re.findall(r'<p class="notification-title">(.*?)</p>', html, re.S)
    titles = [re.search(r"(?:<strong>|<a [^>]*>)([^<]+)</", block) for block in blocks]
    return [title[1] for title in titles if title]


def test_the_inbox_lists_only_my_notifications_newest_first(
    org: OrgPeople, other_org: OrgPeople, client_for
) -> None:
    send(org.report, "First for me")
    send(org.report, "Second for me")
    send(org.colleague, "For my colleague")
    send(other_org.report, "For someone at Globex")

    response = client_for(org.report).get(INBOX)
    html = response.content.decode()

    assert response.status_code == 200
    assert inbox_titles(html) == ["Second for me", "First for me"]
    assert "Body of First for me" in html
    assert "2 unread" in html
    assert "Mark all as read" in html


def test_an_empty_inbox_says_what_will_appear(org: OrgPeople, client_for) -> None:
    html = client_for(org.report).get(INBOX).content.decode()

    assert "You have no notifications yet." in html
    assert "No unread notifications" in html
    assert "Mark all as read" not in html


def test_the_inbox_pages_older_notifications(
    org: OrgPeople, client_for, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(notification_views, "PAGE_SIZE", 2)
    for number in range(5):
        send(org.report, f"Note {number}")
    client = client_for(org.report)

    first = client.get(INBOX).content.decode()
    last = client.get(INBOX + "?page=3").content.decode()

    assert inbox_titles(first) == ["Note 4", "Note 3"]
    assert 'href="?page=2" rel="next">Older</a>' in first
    assert inbox_titles(last) == ["Note 0"]
    assert "Page 3 of 3" in last


def test_marking_one_read_changes_only_that_one(org: OrgPeople, client_for) -> None:
    chosen = send(org.report, "Read me")
    other = send(org.report, "Leave me")
    client = client_for(org.report)

    response = client.post(f"{INBOX}{chosen.pk}/read/")

    assert response.status_code == 302
    assert response["Location"] == INBOX
    assert is_read(chosen)
    assert not is_read(other)
    assert "1 unread" in client.get(INBOX).content.decode()


def test_marking_read_twice_is_harmless(org: OrgPeople, client_for) -> None:
    chosen = send(org.report, "Read me")
    client = client_for(org.report)

    client.post(f"{INBOX}{chosen.pk}/read/")
    with organization_scope(org.organization):
        first_read_at = Notification.objects.get(pk=chosen.pk).read_at
    again = client.post(f"{INBOX}{chosen.pk}/read/")

    assert again.status_code == 302
    with organization_scope(org.organization):
        assert Notification.objects.get(pk=chosen.pk).read_at == first_read_at


def test_i_cannot_mark_a_colleagues_notification_read(org: OrgPeople, client_for) -> None:
    theirs = send(org.colleague, "Not yours")

    response = client_for(org.report).post(f"{INBOX}{theirs.pk}/read/")

    assert response.status_code == 404
    assert not is_read(theirs)


def test_marking_read_follows_a_local_next_link_but_never_an_outside_one(
    org: OrgPeople, client_for
) -> None:
    first = send(org.report, "Goal due", url="/o/acme/people/")
    second = send(org.report, "Phish")
    client = client_for(org.report)

    local = client.post(f"{INBOX}{first.pk}/read/", {"next": "/o/acme/people/"})
    outside = client.post(f"{INBOX}{second.pk}/read/", {"next": "https://evil.example/"})
    sneaky = client.post(f"{INBOX}{second.pk}/read/", {"next": "//evil.example/"})
    htmx = client.post(f"{INBOX}{second.pk}/read/?next=//evil.example/", headers=HTMX)

    assert local["Location"] == "/o/acme/people/"
    assert outside["Location"] == sneaky["Location"] == INBOX
    assert htmx.status_code == 200
    assert "HX-Redirect" not in htmx
    assert is_read(first)
    assert is_read(second)


def test_marking_read_with_htmx_returns_the_row_and_announces_the_new_count(
    org: OrgPeople, client_for
) -> None:
    chosen = send(org.report, "Row")
    send(org.report, "Still unread")

    response = client_for(org.report).post(f"{INBOX}{chosen.pk}/read/", headers=HTMX)
    html = response.content.decode()

    assert response.status_code == 200
    assert f'<li id="notification-{chosen.pk}"' in html
    assert "notification-unread" not in html
    assert "Mark as read" not in html
    assert json.loads(response["HX-Trigger"]) == {"notifications-changed": {"unread": 1}}


def test_following_a_notification_link_with_htmx_marks_it_read_and_redirects(
    org: OrgPeople, client_for
) -> None:
    chosen = send(org.report, "Open me", url="/o/acme/people/org-chart/")

    response = client_for(org.report).post(
        f"{INBOX}{chosen.pk}/read/?next=/o/acme/people/org-chart/", headers=HTMX
    )

    assert response.status_code == 204
    assert response["HX-Redirect"] == "/o/acme/people/org-chart/"
    assert is_read(chosen)


def test_mark_all_read_marks_only_mine(org: OrgPeople, other_org: OrgPeople, client_for) -> None:
    mine = [send(org.report, "One"), send(org.report, "Two")]
    theirs = send(org.colleague, "Theirs")
    elsewhere = send(other_org.report, "Elsewhere")
    client = client_for(org.report)

    response = client.post(INBOX + "read-all/")

    assert response.status_code == 302
    assert all(is_read(notification) for notification in mine)
    assert not is_read(theirs)
    assert not is_read(elsewhere)
    assert "No unread notifications" in client.get(INBOX).content.decode()


def test_mark_all_read_with_htmx_returns_the_list_and_announces_zero(
    org: OrgPeople, client_for
) -> None:
    send(org.report, "One")

    response = client_for(org.report).post(INBOX + "read-all/", headers=HTMX)
    html = response.content.decode()

    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="inbox-list"')
    assert "No unread notifications" in html
    assert inbox_titles(html) == ["One"]
    assert json.loads(response["HX-Trigger"]) == {"notifications-changed": {"unread": 0}}


def test_the_badge_partial_counts_my_unread_notifications(
    org: OrgPeople, other_org: OrgPeople, client_for
) -> None:
    send(org.report, "One")
    read = send(org.report, "Two")
    send(org.report, "Three")
    send(org.colleague, "Theirs")
    send(other_org.report, "Elsewhere")
    client = client_for(org.report)
    client.post(f"{INBOX}{read.pk}/read/")

    response = client.get(INBOX + "badge/", headers=HTMX)

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert re.search(r'<span class="badge badge-count">2<', response.content.decode())


def test_the_badge_partial_is_empty_when_nothing_is_unread(org: OrgPeople, client_for) -> None:
    response = client_for(org.report).get(INBOX + "badge/", headers=HTMX)

    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_the_inbox_needs_a_signed_in_member(
    org: OrgPeople, other_org: OrgPeople, client_for
) -> None:
    assert Client().get(INBOX).status_code == 302
    assert client_for(other_org.report).get(INBOX).status_code == 404
    assert client_for(other_org.report).get(INBOX + "badge/").status_code == 404
