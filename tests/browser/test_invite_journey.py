"""The foundation's key journey in a real browser: HR invites, the invitee joins, the org
chart shows them under their manager."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.management import call_command

from tests.browser_fixtures import choose_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD_PATTERN = re.compile(r"hr@demo\.perfmgmt\.test\s+\|?\s*(\S+)")


def sign_in(page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/o/demo/$"))


def test_hr_admin_invites_a_person_who_joins_and_appears_in_the_org_chart(
    live_server, new_context, capsys
):
    call_command("seed_demo")
    printed = capsys.readouterr().out
    assert "hr@demo.perfmgmt.test" in printed
    password = printed.split("hr@demo.perfmgmt.test", 1)[1].split()[0].strip("|")
    mail.outbox.clear()

    hr_page = new_context().new_page()
    sign_in(hr_page, live_server.url, "hr@demo.perfmgmt.test", password)

    hr_page.get_by_role("link", name="Invite").first.click()
    hr_page.fill("input[name=email]", "new.person@example.com")
    hr_page.fill("input[name=full_name]", "Nadia Newcomer")
    hr_page.fill("input[name=job_title]", "Support engineer")
    # Marta Nowak is the demo organization's engineering manager.
    choose_person(hr_page, "Manager", "Marta Nowak")
    manager_value = hr_page.locator("input[name=manager]:checked").get_attribute("value")
    hr_page.get_by_role("button", name="Send invitation").click()
    hr_page.get_by_text("Invitation sent to new.person@example.com").wait_for()

    invitations = [m for m in mail.outbox if "new.person@example.com" in m.to]
    assert len(invitations) == 1
    link = re.search(r"/invitations/[^\s\"'<>]+/", str(invitations[0].body))
    assert link is not None

    invitee = new_context().new_page()
    invitee.goto(live_server.url + link.group(0))
    invitee.fill("input[name=password1]", "a-long-new-passphrase-42")
    invitee.fill("input[name=password2]", "a-long-new-passphrase-42")
    invitee.get_by_role("button", name=re.compile(r"^Join ")).click()
    invitee.wait_for_url(re.compile(r"/o/demo/$"))

    hr_page.goto(f"{live_server.url}/o/demo/people/org-chart/")
    # The chart shows the top levels only; the newcomer is found by the search (as one
    # types), and the chart opened at them shows the way up: under the chosen manager.
    hr_page.get_by_label("Find a person").fill("Nadia")
    results = hr_page.locator("#org-chart-results")
    results.get_by_role("link", name="Show Nadia Newcomer in the chart").click()
    hr_page.wait_for_url(re.compile(r"\?root=\d+$"))
    path = hr_page.get_by_role("navigation", name="Where this is in the org chart")
    assert (
        path.get_by_role("link")
        .last.get_attribute("href", timeout=5000)
        .endswith(f"?root={manager_value}")
    )
    assert "Marta Nowak" in path.get_by_role("link").last.inner_text()
    assert hr_page.locator("ul.org-chart a", has_text="Nadia Newcomer").count() == 1
