"""People pages through HTTP: directory, profile, org chart, invitations, editing,
deactivation, teams and the audit log."""

from __future__ import annotations

import html as html_module
import re
from datetime import date, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from perfmgmt.notifications.models import Notification
from perfmgmt.notifications.services import notify
from perfmgmt.tenancy import views as people_views
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, MembershipStatus, Role, Team
from tests.accounts.helpers import is_signed_in, landed_on, sign_in, verify_email
from tests.conftest import PASSWORD, OrgPeople
from tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db

PEOPLE = "/o/acme/people/"


def page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


def directory_names(html: str) -> list[str]:
    """Names in the directory table, in order."""
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S)
    if body is None:
        return []
    rows = re.findall(r"<tr>\s*<td><a href=\"[^\"]+\">([^<]+)</a></td>", body[1])
    return [name.replace("&#x27;", "'") for name in rows]


def fresh(member: Membership) -> Membership:
    with organization_scope(member.organization):
        return Membership.objects.select_related("user").get(pk=member.pk)


def in_acme(org: OrgPeople, **fields: object) -> Membership:
    member: Membership = MembershipFactory.create(organization=org.organization, **fields)
    return member


def named(member: Membership, name: str) -> Membership:
    member.full_name = name
    member.save()
    return member


# --- Directory ------------------------------------------------------------------------------


def test_the_directory_lists_everyone_here_and_nobody_from_another_organization(
    org: OrgPeople, other_org: OrgPeople, client_for
) -> None:
    html = page(client_for(org.report), PEOPLE)
    names = directory_names(html)

    assert len(names) == 6
    assert org.manager.display_name in names
    assert not any("globex" in name for name in names)


def test_the_directory_searches_names_emails_titles_and_teams(org: OrgPeople, client_for) -> None:
    named(in_acme(org, job_title="Staff Accountant"), "Zed Zebra")
    client = client_for(org.report)

    assert directory_names(page(client, PEOPLE + "?q=zebra")) == ["Zed Zebra"]
    assert directory_names(page(client, PEOPLE + "?q=accountant")) == ["Zed Zebra"]
    email = org.manager.user.email
    assert directory_names(page(client, f"{PEOPLE}?q={email}")) == [org.manager.display_name]
    nobody = page(client, PEOPLE + "?q=nobody-has-this")
    assert "Nobody matches these filters." in nobody
    assert 'value="nobody-has-this"' in nobody


def test_the_directory_filters_by_team(org: OrgPeople, client_for) -> None:
    sales = TeamFactory.create(organization=org.organization, name="Sales")
    named(in_acme(org, team=sales), "Sam Seller")

    html = page(client_for(org.report), f"{PEOPLE}?team={sales.pk}")

    assert directory_names(html) == ["Sam Seller"]
    assert re.search(rf'<option value="{sales.pk}" selected>Sales</option>', html)


def test_a_team_id_of_another_organization_filters_to_nobody(
    org: OrgPeople, other_org: OrgPeople, client_for
) -> None:
    with organization_scope(other_org.organization):
        their_team = Team.objects.get()

    html = page(client_for(org.report), f"{PEOPLE}?team={their_team.pk}")

    assert directory_names(html) == []
    assert "Nobody matches these filters." in html


def test_the_directory_filters_by_status(org: OrgPeople, client_for) -> None:
    named(in_acme(org, status=MembershipStatus.INVITED), "Ivy Invited")
    named(in_acme(org, status=MembershipStatus.ON_LEAVE), "Lee Leave")

    client = client_for(org.report)

    assert directory_names(page(client, PEOPLE + "?status=invited")) == ["Ivy Invited"]
    assert directory_names(page(client, PEOPLE + "?status=on_leave")) == ["Lee Leave"]


def test_people_who_left_are_listed_only_for_hr_and_only_when_asked(
    org: OrgPeople, client_for
) -> None:
    named(in_acme(org, status=MembershipStatus.LEFT), "Gone Gina")

    employee = client_for(org.report)
    assert "Gone Gina" not in directory_names(page(employee, PEOPLE))
    # An employee asking for them gets the normal list: the filter is ignored.
    ignored = page(employee, PEOPLE + "?status=left")
    assert "Gone Gina" not in directory_names(ignored)
    assert len(directory_names(ignored)) == 6

    hr = client_for(org.hr)
    assert "Gone Gina" not in directory_names(page(hr, PEOPLE))
    assert directory_names(page(hr, PEOPLE + "?status=left")) == ["Gone Gina"]


def test_the_directory_pages_and_keeps_the_filters_in_the_page_links(
    org: OrgPeople, client_for, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(people_views, "DIRECTORY_PAGE_SIZE", 2)
    client = client_for(org.report)

    first = page(client, PEOPLE + "?q=acme")
    seen, pages, current = list(directory_names(first)), [first], first
    while (following := re.search(r'href="\?([^"]*)" rel="next"', current)) is not None:
        query = html_module.unescape(following[1])
        assert query.startswith("q=acme&cursor=")
        current = page(client, f"{PEOPLE}?{query}")
        pages.append(current)
        seen += directory_names(current)
    assert len(directory_names(first)) == 2
    assert len(pages) == 3
    assert len(seen) == len(set(seen)) == 6
    assert 'rel="prev"' not in pages[0]
    assert 'rel="prev"' in pages[2]
    # An old page number is ignored (the first page); a cursor the page did not write is a
    # clear 400 with a link back to the first page of the same filter.
    assert directory_names(page(client, PEOPLE + "?q=acme&page=3")) == seen[:2]
    broken = page(client, PEOPLE + "?q=acme&cursor=x", status=400)
    assert 'href="?q=acme"' in broken


def test_an_htmx_search_gets_only_the_results(org: OrgPeople, client_for) -> None:
    response = client_for(org.report).get(PEOPLE + "?q=rita", headers={"HX-Request": "true"})
    html = response.content.decode()

    assert response.status_code == 200
    assert "<html" not in html
    assert directory_names(html) == [org.report.display_name]


@pytest.mark.parametrize("query", ["?team=abc", "?status=nonsense", "?q=" + "x" * 500])
def test_odd_directory_input_is_not_an_error(org: OrgPeople, client_for, query: str) -> None:
    page(client_for(org.report), PEOPLE + query)


# --- Profile --------------------------------------------------------------------------------


def with_details(org: OrgPeople) -> Membership:
    with organization_scope(org.organization):
        Membership.objects.filter(pk=org.report.pk).update(
            start_date=date(2021, 3, 14), external_id="HR-0042"
        )
    return fresh(org.report)


@pytest.mark.parametrize(
    ("viewer", "sees_details"),
    [
        ("report", True),  # themselves
        ("manager", True),  # direct manager
        ("owner", True),  # manager's manager
        ("hr", True),
        ("colleague", False),
        ("report2", False),  # a peer
    ],
)
def test_a_profile_shows_details_only_to_those_the_policy_allows(
    org: OrgPeople, client_for, viewer: str, sees_details: bool
) -> None:
    person = with_details(org)

    html = page(client_for(getattr(org, viewer)), f"{PEOPLE}{person.pk}/")

    assert person.display_name in html
    assert person.job_title in html
    assert ('id="details-heading"' in html) is sees_details
    assert ("HR-0042" in html) is sees_details
    assert ("14 Mar 2021" in html) is sees_details  # the product's one date format


def test_a_profile_links_the_manager_and_lists_direct_reports(org: OrgPeople, client_for) -> None:
    html = page(client_for(org.colleague), f"{PEOPLE}{org.manager.pk}/")

    assert f'<a href="{PEOPLE}{org.owner.pk}/">{org.owner.display_name}</a>' in html
    assert f'<a href="{PEOPLE}{org.report.pk}/">{org.report.display_name}</a>' in html
    assert f'<a href="{PEOPLE}{org.report2.pk}/">{org.report2.display_name}</a>' in html


def test_a_profile_offers_actions_only_to_those_who_may_take_them(
    org: OrgPeople, client_for
) -> None:
    employee_view = page(client_for(org.colleague), f"{PEOPLE}{org.report.pk}/")
    hr_view = page(client_for(org.hr), f"{PEOPLE}{org.report.pk}/")

    assert 'id="actions-heading"' not in employee_view
    assert f'href="{PEOPLE}{org.report.pk}/edit/"' in hr_view
    assert f'href="{PEOPLE}{org.report.pk}/deactivate/"' in hr_view
    assert f'href="{PEOPLE}audit/?person={org.report.pk}"' in hr_view


def test_someone_who_left_is_a_404_for_employees_but_hr_can_reactivate_them(
    org: OrgPeople, client_for
) -> None:
    gone = in_acme(org, status=MembershipStatus.LEFT)

    page(client_for(org.colleague), f"{PEOPLE}{gone.pk}/", status=404)
    html = page(client_for(org.hr), f"{PEOPLE}{gone.pk}/")
    assert f'action="{PEOPLE}{gone.pk}/reactivate/"' in html


@pytest.mark.parametrize("member_id", ["999999999", "0"])
def test_a_missing_profile_is_a_404(org: OrgPeople, client_for, member_id: str) -> None:
    page(client_for(org.hr), f"{PEOPLE}{member_id}/", status=404)


# --- Inviting and joining -------------------------------------------------------------------


def invite_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "email": "new.person@example.com",
        "full_name": "Nina New",
        "role": Role.EMPLOYEE,
        "manager": "",
        "team": "",
        "job_title": "Designer",
        "start_date": "",
    }
    data.update(overrides)
    return data


def invitation_link(mailoutbox: list) -> str:
    assert mailoutbox, "no invitation email was sent"
    found = re.search(r"https?://[^/\s]+(/invitations/[^/\s]+/)", mailoutbox[-1].body)
    assert found, mailoutbox[-1].body
    return found[1]


def test_hr_invites_a_person_who_gets_an_email_and_shows_as_invited(
    org: OrgPeople, client_for, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    hr = client_for(org.hr)
    with django_capture_on_commit_callbacks(execute=True):
        response = hr.post(PEOPLE + "invite/", invite_data(manager=org.manager.pk))

    assert response.status_code == 302
    with organization_scope(org.organization):
        invited = Membership.objects.select_related("user").get(
            user__email="new.person@example.com"
        )
    assert response["Location"] == f"{PEOPLE}{invited.pk}/"
    assert invited.status == MembershipStatus.INVITED
    assert invited.manager_id == org.manager.pk
    assert invited.job_title == "Designer"
    assert [message.to for message in mailoutbox] == [["new.person@example.com"]]
    profile = page(hr, response["Location"])
    assert "Invitation sent to new.person@example.com" in profile
    assert "Resend invitation" in profile


def test_an_invalid_invitation_keeps_what_was_typed(org: OrgPeople, client_for) -> None:
    response = client_for(org.hr).post(
        PEOPLE + "invite/",
        invite_data(email="not-an-email", manager=org.manager.pk, job_title="Chief Tester"),
    )
    html = response.content.decode()

    assert response.status_code == 400
    assert 'value="not-an-email"' in html
    assert 'value="Nina New"' in html
    assert 'value="Chief Tester"' in html
    assert re.search(rf'name="manager" value="{org.manager.pk}"[^>]* checked>', html)
    assert "Enter a valid email address." in html


def test_inviting_an_email_already_in_the_organization_is_refused_on_the_email_field(
    org: OrgPeople, client_for
) -> None:
    taken = org.colleague.user.email

    response = client_for(org.hr).post(PEOPLE + "invite/", invite_data(email=taken.upper()))
    html = response.content.decode()

    # The service answers with a conflict: the form comes back as a 409, as typed.
    assert response.status_code == 409
    assert "Already a member (or invited)." in html
    assert 'value="Nina New"' in html
    with organization_scope(org.organization):
        assert Membership.objects.filter(user__email=taken).count() == 1


def test_inviting_someone_from_another_organization_reuses_their_login(
    org: OrgPeople, other_org: OrgPeople, client_for
) -> None:
    outsider = other_org.colleague.user

    response = client_for(org.hr).post(PEOPLE + "invite/", invite_data(email=outsider.email))

    assert response.status_code == 302
    with organization_scope(org.organization):
        assert Membership.objects.get(user=outsider).status == MembershipStatus.INVITED
    outsider.refresh_from_db()
    assert outsider.full_name != "Nina New"  # their name stays theirs


@pytest.mark.parametrize("who", ["report", "manager", "colleague"])
def test_employees_may_not_invite(org: OrgPeople, client_for, who: str) -> None:
    client = client_for(getattr(org, who))

    assert client.get(PEOPLE + "invite/").status_code == 403
    assert client.post(PEOPLE + "invite/", invite_data()).status_code == 403
    with organization_scope(org.organization):
        assert not Membership.objects.filter(user__email="new.person@example.com").exists()


def test_only_owners_can_invite_someone_as_hr_admin(org: OrgPeople, client_for) -> None:
    hr_form = page(client_for(org.hr), PEOPLE + "invite/")
    assert 'value="hr_admin"' not in hr_form
    refused = client_for(org.hr).post(PEOPLE + "invite/", invite_data(role=Role.HR_ADMIN))
    assert refused.status_code == 400
    assert 'value="Nina New"' in refused.content.decode()

    allowed = client_for(org.owner).post(PEOPLE + "invite/", invite_data(role=Role.HR_ADMIN))
    assert allowed.status_code == 302
    with organization_scope(org.organization):
        invited = Membership.objects.get(user__email="new.person@example.com")
    assert invited.role == Role.HR_ADMIN


def invite_and_get_link(
    org: OrgPeople, client_for, mailoutbox, capture, email: str = "new.person@example.com"
) -> str:
    with capture(execute=True):
        response = client_for(org.hr).post(PEOPLE + "invite/", invite_data(email=email))
    assert response.status_code == 302
    return invitation_link(mailoutbox)


def test_accepting_an_invitation_sets_a_password_and_joins_the_organization(
    org: OrgPeople, client_for, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    link = invite_and_get_link(org, client_for, mailoutbox, django_capture_on_commit_callbacks)
    invitee = Client()

    form = page(invitee, link)
    assert "Join Acme" in form
    assert "Hana HR (acme) invited you (new.person@example.com)" in form

    response = invitee.post(
        link,
        {
            "full_name": "Nina Newton",
            "password1": "a-long-passphrase-1",
            "password2": "a-long-passphrase-1",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/o/acme/"
    assert is_signed_in(invitee)
    with organization_scope(org.organization):
        joined = Membership.objects.select_related("user").get(user__email="new.person@example.com")
    assert joined.status == MembershipStatus.ACTIVE
    assert joined.user.full_name == "Nina Newton"
    assert joined.user.check_password("a-long-passphrase-1")
    assert "Welcome to Acme." in page(invitee, "/o/acme/")
    # Later they sign in with the password they chose.
    again = sign_in(Client(), "new.person@example.com", "a-long-passphrase-1")
    assert landed_on(again) == "/o/acme/"


def test_a_failed_acceptance_keeps_the_name_and_explains(
    org: OrgPeople, client_for, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    link = invite_and_get_link(org, client_for, mailoutbox, django_capture_on_commit_callbacks)
    invitee = Client()

    mismatch = invitee.post(
        link,
        {
            "full_name": "Nina Newton",
            "password1": "a-long-passphrase-1",
            "password2": "other-pass-2",
        },
    )
    weak = invitee.post(link, {"full_name": "Nina Newton", "password1": "123", "password2": "123"})

    assert mismatch.status_code == 400
    assert "The two passwords differ." in mismatch.content.decode()
    assert 'value="Nina Newton"' in mismatch.content.decode()
    assert weak.status_code == 400
    assert 'class="errorlist' in weak.content.decode()
    assert not is_signed_in(invitee)
    with organization_scope(org.organization):
        pending = Membership.objects.get(user__email="new.person@example.com")
    assert pending.status == MembershipStatus.INVITED


def test_a_used_invitation_link_no_longer_works(
    org: OrgPeople, client_for, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    link = invite_and_get_link(org, client_for, mailoutbox, django_capture_on_commit_callbacks)
    password = "a-long-passphrase-1"
    Client().post(link, {"full_name": "", "password1": password, "password2": password})

    response = Client().get(link)

    assert response.status_code == 404
    assert "This invitation link does not work" in response.content.decode()


def test_an_expired_invitation_link_no_longer_works(
    org: OrgPeople, client_for, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    link = invite_and_get_link(org, client_for, mailoutbox, django_capture_on_commit_callbacks)
    password = "a-long-passphrase-1"

    with time_machine.travel(timezone.now() + timedelta(days=15)):
        shown = Client().get(link)
        posted = Client().post(link, {"password1": password, "password2": password})

    assert shown.status_code == posted.status_code == 404
    with organization_scope(org.organization):
        pending = Membership.objects.select_related("user").get(
            user__email="new.person@example.com"
        )
    assert pending.status == MembershipStatus.INVITED
    assert not pending.user.has_usable_password()


def test_a_resent_invitation_replaces_the_old_link(
    org: OrgPeople, client_for, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    old = invite_and_get_link(org, client_for, mailoutbox, django_capture_on_commit_callbacks)
    with organization_scope(org.organization):
        invited = Membership.objects.get(user__email="new.person@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        client_for(org.hr).post(f"{PEOPLE}{invited.pk}/resend-invitation/")
    new = invitation_link(mailoutbox)

    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


def test_a_made_up_invitation_link_is_a_404() -> None:
    response = Client().get("/invitations/not-a-real-token/")

    assert response.status_code == 404


# --- Editing --------------------------------------------------------------------------------


def edit_data(member: Membership, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "full_name": member.full_name,
        "job_title": member.job_title,
        "team": member.team_id or "",
        "manager": member.manager_id or "",
        "start_date": member.start_date.isoformat() if member.start_date else "",
        "status": member.status,
        "external_id": member.external_id or "",
        "role": member.role,
    }
    data.update(overrides)
    return data


def test_hr_sets_a_persons_manager_and_team(org: OrgPeople, client_for) -> None:
    sales = TeamFactory.create(organization=org.organization, name="Sales")

    response = client_for(org.hr).post(
        f"{PEOPLE}{org.colleague.pk}/edit/",
        edit_data(org.colleague, manager=org.manager.pk, team=sales.pk, job_title="Lead"),
    )

    assert response.status_code == 302
    assert response["Location"] == f"{PEOPLE}{org.colleague.pk}/"
    changed = fresh(org.colleague)
    assert (changed.manager_id, changed.team_id, changed.job_title) == (
        org.manager.pk,
        sales.pk,
        "Lead",
    )


def test_a_loop_in_the_reporting_line_is_refused_and_the_form_keeps_what_was_typed(
    org: OrgPeople, client_for
) -> None:
    response = client_for(org.hr).post(
        f"{PEOPLE}{org.manager.pk}/edit/",
        edit_data(org.manager, manager=org.report.pk, job_title="Typed title"),
    )
    html = response.content.decode()

    assert response.status_code == 400
    assert "already reports to" in html
    assert 'value="Typed title"' in html
    assert re.search(rf'name="manager" value="{org.report.pk}"[^>]* checked>', html)
    assert fresh(org.manager).manager_id == org.owner.pk


def test_hr_cannot_make_itself_someones_manager_on_the_edit_page(
    org: OrgPeople, client_for
) -> None:
    response = client_for(org.hr).post(
        f"{PEOPLE}{org.report.pk}/edit/", edit_data(org.report, manager=org.hr.pk)
    )

    assert response.status_code == 403
    assert "You cannot make yourself someone&#x27;s manager" in response.content.decode()
    assert fresh(org.report).manager_id == org.manager.pk


def test_hr_edits_its_own_record_on_the_edit_page_but_not_its_own_manager(
    org: OrgPeople, client_for
) -> None:
    client = client_for(org.hr)
    url = f"{PEOPLE}{org.hr.pk}/edit/"

    kept = client.post(url, edit_data(org.hr, job_title="People lead"))
    moved = client.post(url, edit_data(org.hr, manager=org.colleague.pk))

    assert kept.status_code == 302
    assert moved.status_code == 403
    assert "Nobody changes their own manager" in moved.content.decode()
    assert (fresh(org.hr).job_title, fresh(org.hr).manager_id) == ("People lead", org.owner.pk)


def test_employees_and_managers_may_not_edit_people(org: OrgPeople, client_for) -> None:
    for who in (org.colleague, org.manager):
        client = client_for(who)
        assert client.get(f"{PEOPLE}{org.report.pk}/edit/").status_code == 403
        posted = client.post(
            f"{PEOPLE}{org.report.pk}/edit/", edit_data(org.report, job_title="Hacked")
        )
        assert posted.status_code == 403
    assert fresh(org.report).job_title != "Hacked"


def test_hr_admins_do_not_see_or_change_roles(org: OrgPeople, client_for) -> None:
    form = page(client_for(org.hr), f"{PEOPLE}{org.colleague.pk}/edit/")
    assert 'name="role"' not in form

    client_for(org.hr).post(
        f"{PEOPLE}{org.colleague.pk}/edit/", edit_data(org.colleague, role=Role.OWNER)
    )

    assert fresh(org.colleague).role == Role.EMPLOYEE


def test_hr_admins_may_not_edit_an_owner(org: OrgPeople, client_for) -> None:
    assert client_for(org.hr).get(f"{PEOPLE}{org.owner.pk}/edit/").status_code == 403


def test_owners_change_roles_but_not_their_own(org: OrgPeople, client_for) -> None:
    response = client_for(org.owner).post(
        f"{PEOPLE}{org.colleague.pk}/edit/", edit_data(org.colleague, role=Role.HR_ADMIN)
    )
    own_form = page(client_for(org.owner), f"{PEOPLE}{org.owner.pk}/edit/")

    assert response.status_code == 302
    assert fresh(org.colleague).role == Role.HR_ADMIN
    assert 'name="role"' not in own_form


def test_edit_puts_someone_on_leave_and_back(org: OrgPeople, client_for) -> None:
    client = client_for(org.hr)
    url = f"{PEOPLE}{org.report.pk}/edit/"

    client.post(url, edit_data(org.report, status=MembershipStatus.ON_LEAVE))
    assert fresh(org.report).status == MembershipStatus.ON_LEAVE
    # People on leave still sign in.
    assert client_for(org.report).get("/o/acme/").status_code == 200
    client.post(url, edit_data(fresh(org.report), status=MembershipStatus.ACTIVE))
    assert fresh(org.report).status == MembershipStatus.ACTIVE


# --- Deactivating and reactivating ----------------------------------------------------------


def test_deactivation_asks_first_and_says_where_the_reports_go(org: OrgPeople, client_for) -> None:
    html = page(client_for(org.hr), f"{PEOPLE}{org.manager.pk}/deactivate/")

    assert f"Deactivate {org.manager.display_name}?" in html
    assert f"will report to {org.owner.display_name}" in html
    assert org.report.display_name in html
    assert fresh(org.manager).status == MembershipStatus.ACTIVE


def test_a_deactivated_person_cannot_enter_the_organization_and_loses_nothing(
    org: OrgPeople, client_for
) -> None:
    verify_email(org.manager.user)
    with organization_scope(org.organization):
        notify(recipient=org.manager, kind="t", key="kept", title="Kept", email=False)
    before = sign_in(Client(), org.manager.user.email, PASSWORD)
    assert landed_on(before) == "/o/acme/"

    response = client_for(org.hr).post(f"{PEOPLE}{org.manager.pk}/deactivate/")

    assert response.status_code == 302
    gone = fresh(org.manager)
    assert gone.status == MembershipStatus.LEFT
    assert gone.deactivated_at is not None
    assert gone.job_title == org.manager.job_title
    assert gone.team_id == org.manager.team_id
    assert gone.manager_id == org.owner.pk
    with organization_scope(org.organization):
        assert Notification.objects.filter(recipient=gone, key="kept").exists()
    assert fresh(org.report).manager_id == org.owner.pk  # reports moved up, not orphaned
    # Signing in still works for the login, but not into this organization.
    after = Client()
    landed = sign_in(after, org.manager.user.email, PASSWORD)
    assert landed_on(landed) == "/"
    assert "You are not part of an organization yet" in landed.content.decode()
    assert after.get("/o/acme/").status_code == 404
    assert after.get(f"{PEOPLE}").status_code == 404
    # An existing session loses access at once, too.
    assert client_for(org.manager).get("/o/acme/notifications/").status_code == 404


def test_a_deactivated_person_keeps_their_other_organizations(
    org: OrgPeople, other_org: OrgPeople, client_for
) -> None:
    MembershipFactory.create(organization=other_org.organization, user=org.colleague.user)
    client_for(org.hr).post(f"{PEOPLE}{org.colleague.pk}/deactivate/")

    client = client_for(org.colleague)

    assert client.get("/o/acme/").status_code == 404
    assert client.get("/o/globex/").status_code == 200
    assert client.get("/")["Location"] == "/o/globex/"


def test_reactivating_gives_access_back(org: OrgPeople, client_for) -> None:
    hr = client_for(org.hr)
    hr.post(f"{PEOPLE}{org.colleague.pk}/deactivate/")

    response = hr.post(f"{PEOPLE}{org.colleague.pk}/reactivate/")

    assert response.status_code == 302
    assert fresh(org.colleague).status == MembershipStatus.ACTIVE
    assert client_for(org.colleague).get("/o/acme/").status_code == 200
    assert "has access again" in page(hr, response["Location"])


@pytest.mark.parametrize(
    ("actor", "target"),
    [("colleague", "report"), ("manager", "report"), ("hr", "hr"), ("hr", "owner")],
)
def test_deactivation_is_refused_without_the_right(
    org: OrgPeople, client_for, actor: str, target: str
) -> None:
    person = getattr(org, target)
    client = client_for(getattr(org, actor))

    assert client.get(f"{PEOPLE}{person.pk}/deactivate/").status_code == 403
    assert client.post(f"{PEOPLE}{person.pk}/deactivate/").status_code == 403
    assert fresh(person).status == MembershipStatus.ACTIVE


def test_employees_may_not_reactivate(org: OrgPeople, client_for) -> None:
    gone = in_acme(org, status=MembershipStatus.LEFT)

    response = client_for(org.colleague).post(f"{PEOPLE}{gone.pk}/reactivate/")

    assert response.status_code == 404
    assert fresh(gone).status == MembershipStatus.LEFT


# --- Teams ----------------------------------------------------------------------------------


def test_the_teams_page_lists_teams_with_how_many_people_are_in_each(
    org: OrgPeople, client_for
) -> None:
    in_acme(org, team=TeamFactory.create(organization=org.organization, name="Sales"))
    in_acme(org, team=org.report.team, status=MembershipStatus.LEFT)  # not counted

    html = page(client_for(org.colleague), PEOPLE + "teams/")

    rows = re.findall(r'\?team=\d+">([^<]+)</a></td>.*?<td>(\d+)</td>', html, re.S)
    assert rows == [("Engineering", "6"), ("Sales", "1")]
    assert "New team" not in html  # employees only read


def test_hr_creates_a_team(org: OrgPeople, client_for) -> None:
    client = client_for(org.hr)
    response = client.post(PEOPLE + "teams/", {"name": "Platform", "kind": "team", "parent": ""})

    assert response.status_code == 302
    assert "Team Platform created." in page(client, response["Location"])
    with organization_scope(org.organization):
        assert Team.objects.filter(name="Platform").exists()


def test_a_duplicate_team_name_is_refused_and_kept_in_the_form(org: OrgPeople, client_for) -> None:
    response = client_for(org.hr).post(
        PEOPLE + "teams/", {"name": "engineering", "kind": "department", "parent": ""}
    )
    html = response.content.decode()

    assert response.status_code == 409
    assert "Already in use." in html
    assert 'value="engineering"' in html
    assert re.search(r'<option value="department" selected>', html)


def test_employees_may_not_create_teams(org: OrgPeople, client_for) -> None:
    response = client_for(org.colleague).post(PEOPLE + "teams/", {"name": "Rogue", "kind": "team"})

    assert response.status_code == 403
    with organization_scope(org.organization):
        assert not Team.objects.filter(name="Rogue").exists()


# --- Audit log ------------------------------------------------------------------------------


def test_the_audit_log_shows_hr_who_changed_what(org: OrgPeople, client_for) -> None:
    hr = client_for(org.hr)
    hr.post(f"{PEOPLE}{org.colleague.pk}/edit/", edit_data(org.colleague, job_title="Architect"))
    hr.post(f"{PEOPLE}{org.report.pk}/deactivate/")

    html = page(hr, PEOPLE + "audit/")
    about_colleague = page(hr, f"{PEOPLE}audit/?person={org.colleague.pk}")

    # The page is perfmgmt/audit's now (tests/audit/): labels, and changes as before/after.
    assert "<td>Person changed (role, manager, details)<br>" in html
    assert "<td>Person deactivated<br>" in html
    assert "<td>Architect</td>" in html
    assert org.hr.display_name in html
    assert "<td>Person changed (role, manager, details)<br>" in about_colleague
    assert "<td>Person deactivated<br>" not in about_colleague


def test_the_audit_log_is_for_hr_only(org: OrgPeople, client_for) -> None:
    assert client_for(org.manager).get(PEOPLE + "audit/").status_code == 403
    assert client_for(org.colleague).get(PEOPLE + "audit/").status_code == 403


def test_the_audit_log_of_another_organization_person_is_a_404(
    org: OrgPeople, other_org: OrgPeople, client_for
) -> None:
    response = client_for(org.hr).get(f"{PEOPLE}audit/?person={other_org.colleague.pk}")

    assert response.status_code == 404


def test_someone_invited_cannot_enter_the_organization_before_accepting(
    org: OrgPeople, client_for
) -> None:
    invited = in_acme(org, status=MembershipStatus.INVITED)

    client = client_for(invited)

    assert client.get("/o/acme/").status_code == 404
    assert "You are not part of an organization yet" in page(client, "/")


def test_someone_with_a_login_elsewhere_signs_in_and_joins_with_one_button(
    org: OrgPeople, other_org: OrgPeople, client_for, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    outsider = other_org.colleague
    verify_email(outsider.user)
    link = invite_and_get_link(
        org, client_for, mailoutbox, django_capture_on_commit_callbacks, email=outsider.user.email
    )

    signed_out = Client().get(link)
    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith("/accounts/login/?next=/invitations/")

    browser = Client()
    landed = sign_in(browser, outsider.user.email, PASSWORD)
    assert landed_on(landed) == "/o/globex/"
    form = page(browser, link)
    assert 'name="password1"' not in form
    assert "Join Acme" in form
    joined = browser.post(link)

    assert joined.status_code == 302
    assert joined["Location"] == "/o/acme/"
    with organization_scope(org.organization):
        assert Membership.objects.get(user=outsider.user).status == MembershipStatus.ACTIVE
    assert fresh(outsider).status == MembershipStatus.ACTIVE  # still at Globex too
    assert browser.get("/o/globex/").status_code == 200
    assert browser.get("/o/acme/").status_code == 200
    assert outsider.user.check_password(PASSWORD)


def test_an_invitation_opened_by_another_signed_in_person_does_not_join_them(
    org: OrgPeople, client_for, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    link = invite_and_get_link(org, client_for, mailoutbox, django_capture_on_commit_callbacks)
    wrong = client_for(org.colleague)

    shown = wrong.get(link)
    posted = wrong.post(link, {"password1": "a-long-passphrase-1", "password2": "x"})

    assert "This invitation is for another account" in shown.content.decode()
    assert f"signed in as <strong>{org.colleague.user.email}</strong>" in shown.content.decode()
    assert "This invitation is for another account" in posted.content.decode()
    assert wrong.get("/o/acme/").status_code == 200  # still signed in as themselves
    with organization_scope(org.organization):
        pending = Membership.objects.get(user__email="new.person@example.com")
    assert pending.status == MembershipStatus.INVITED


def test_editing_with_a_manager_or_team_of_another_organization_is_refused(
    org: OrgPeople, other_org: OrgPeople, client_for
) -> None:
    with organization_scope(other_org.organization):
        their_team = Team.objects.get()

    response = client_for(org.hr).post(
        f"{PEOPLE}{org.colleague.pk}/edit/",
        edit_data(org.colleague, manager=other_org.manager.pk, team=their_team.pk),
    )

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    unchanged = fresh(org.colleague)
    assert (unchanged.manager_id, unchanged.team_id) == (org.owner.pk, org.colleague.team_id)


def test_hr_edits_a_team_and_cannot_put_it_under_itself(org: OrgPeople, client_for) -> None:
    parent = TeamFactory.create(organization=org.organization, name="Product")
    child = TeamFactory.create(organization=org.organization, name="Design", parent=parent)
    client = client_for(org.hr)

    renamed = client.post(
        f"{PEOPLE}teams/{parent.pk}/", {"name": "Product & Design", "kind": "department"}
    )
    loop = client.post(
        f"{PEOPLE}teams/{parent.pk}/",
        {"name": "Product & Design", "kind": "department", "parent": child.pk},
    )

    assert renamed.status_code == 302
    assert loop.status_code == 400
    assert "Choose a team that is not part of this one." in loop.content.decode()
    with organization_scope(org.organization):
        stored = Team.objects.get(pk=parent.pk)
    assert (stored.name, stored.kind, stored.parent_id) == ("Product & Design", "department", None)


def test_deleting_a_team_keeps_its_people(org: OrgPeople, client_for) -> None:
    sales = TeamFactory.create(organization=org.organization, name="Sales")
    seller = in_acme(org, team=sales)

    response = client_for(org.hr).post(f"{PEOPLE}teams/{sales.pk}/delete/")

    assert response.status_code == 302
    kept = fresh(seller)
    assert kept.team_id is None
    assert kept.status == MembershipStatus.ACTIVE
    assert (
        client_for(org.colleague).post(f"{PEOPLE}teams/{org.report.team_id}/delete/").status_code
        == 403
    )


HUGE = "9" * 30


@pytest.mark.parametrize(
    ("url", "status"),
    [
        (f"{PEOPLE}?team={HUGE}", 200),
        (f"{PEOPLE}?page={HUGE}", 200),
        (f"{PEOPLE}audit/?person={HUGE}", 404),
        (f"{PEOPLE}{HUGE}/", 404),
        (f"{PEOPLE}{HUGE}/edit/", 404),
        (f"{PEOPLE}teams/{HUGE}/", 404),
        (f"/o/acme/notifications/?page={HUGE}", 200),
    ],
)
def test_numbers_too_big_for_an_id_are_not_found_rather_than_an_error(
    org: OrgPeople, client_for, url: str, status: int
) -> None:
    assert client_for(org.hr).get(url).status_code == status


def test_an_external_id_already_used_is_refused_on_the_field(org: OrgPeople, client_for) -> None:
    with organization_scope(org.organization):
        Membership.objects.filter(pk=org.report.pk).update(external_id="HR-1")

    response = client_for(org.hr).post(
        f"{PEOPLE}{org.colleague.pk}/edit/",
        edit_data(org.colleague, external_id="HR-1", job_title="Typed"),
    )

    assert response.status_code == 409
    assert "Already used by someone else." in response.content.decode()
    assert 'value="Typed"' in response.content.decode()
    assert fresh(org.colleague).external_id is None
