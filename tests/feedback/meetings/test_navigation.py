"""1:1s in the page shell and on the home page's "what's next" list."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from perfmgmt.web.whats_next import items_for
from tests.conftest import OrgPeople

from .factories import make_action_item, make_meeting, make_series

pytestmark = pytest.mark.django_db

ClientFor = Callable[[Membership], Client]


def nav(client: Client, org: OrgPeople) -> str:
    html = client.get(f"/o/{org.organization.slug}/").content.decode()
    return html.split('<nav class="main-nav"', 1)[1].split("</nav>", 1)[0]


def test_everyone_sees_one_on_ones_and_only_managers_see_my_team(
    org: OrgPeople, client_for: ClientFor
) -> None:
    report_nav = nav(client_for(org.report), org)
    manager_nav = nav(client_for(org.manager), org)
    assert 'href="/o/acme/one-on-ones/"' in report_nav
    assert "My team" not in report_nav
    assert 'href="/o/acme/team/"' in manager_nav


def test_whats_next_shows_a_one_on_one_in_the_next_two_days_and_overdue_items(
    org: OrgPeople,
) -> None:
    series = make_series(org.manager, org.report)
    make_meeting(series, when=timezone.now() + timedelta(hours=20))
    # Agreed in last week's 1:1 (an item cannot be due before the meeting it was agreed in).
    held = make_meeting(series, when=timezone.now() - timedelta(days=7))
    make_action_item(
        held, org.report, "Late thing", due_date=timezone.localdate() - timedelta(days=3)
    )
    with organization_scope(org.organization):
        titles = [item.title for item in items_for(org.report)]
        others = [item.title for item in items_for(org.report2)]
    assert any(title.startswith(f"1:1 with {org.manager.display_name}") for title in titles)
    assert "1 1:1 action item is overdue" in titles
    assert not any("1:1" in title for title in others)
