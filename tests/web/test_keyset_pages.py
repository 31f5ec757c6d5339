"""The large HTML lists page by keyset: goals (mine, team), feedback (received, team) and
the people list. Paging forward and back shows every row once, filters stay in the links,
no page counts its list, the query count does not grow from 5 to 50 to 1,000 rows, and a
cursor the page did not write is a 400, never a 500."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import parse_qs, urlencode

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.models import Feedback, FeedbackVisibility
from goals.models import Goal, GoalStatus, OwnerKind
from perfmgmt.accounts.models import User
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople, login

pytestmark = pytest.mark.django_db

_LINK = re.compile(r'href="\?([^"]*)" rel="(next|prev)"')
_GOAL_ROW = re.compile(r'href="/o/[^/]+/goals/(\d+)/"')
_PERSON_ROW = re.compile(r'<tr>\s*<td><a href="/o/[^/]+/people/(\d+)/"')
_FEEDBACK_ROW = re.compile(r'href="/o/[^/]+/feedback/(\d+)/"')


def _url(org: OrgPeople, name: str) -> str:
    return reverse(name, kwargs={"org_slug": org.organization.slug})


def _add_goals(org: OrgPeople, count: int, *, status: str = GoalStatus.ACTIVE) -> None:
    """`count` goals of the manager's report, many created in the same instant (ties the
    order must still break by id)."""
    moment = timezone.now()
    with organization_scope(org.organization):
        Goal.objects.bulk_create(
            Goal(
                organization=org.organization,
                owner_kind=OwnerKind.PERSON,
                owner_person=org.report,
                title=f"Bulk goal {n}",
                status=status,
                created_at=moment - timedelta(seconds=n // 7),
            )
            for n in range(count)
        )


def _add_feedback(org: OrgPeople, count: int) -> None:
    # Written after the reporting line began (a manager reads only that), in ties of five.
    moment = timezone.now() + timedelta(hours=1)
    with organization_scope(org.organization):
        Feedback.objects.bulk_create(
            Feedback(
                organization=org.organization,
                giver=org.colleague if n % 2 else org.report2,
                recipient=org.report,
                situation=f"Bulk feedback {n}",
                visibility=FeedbackVisibility.RECIPIENT_AND_MANAGER,
                created_at=moment - timedelta(seconds=n // 5),
            )
            for n in range(count)
        )


def _add_people(org: OrgPeople, count: int) -> None:
    """`count` people, many sharing a name (ties the order must still break by id)."""
    password = make_password(None)
    tag = uuid.uuid4().hex[:8]
    users = User.objects.bulk_create(
        User(email=f"bulk-{tag}-{n}@keyset.example", full_name=f"Bulk {n % 9}", password=password)
        for n in range(count)
    )
    with organization_scope(org.organization):
        Membership.objects.bulk_create(
            Membership(organization=org.organization, user=user, full_name=user.full_name)
            for user in users
        )


# (url name, reader, how to add rows, how a row shows on the page)
LISTS: list[tuple[str, str, Callable[[OrgPeople, int], None], re.Pattern[str]]] = [
    ("goals:mine", "report", _add_goals, _GOAL_ROW),
    ("goals:team", "manager", _add_goals, _GOAL_ROW),
    ("feedback:feedback_received", "report", _add_feedback, _FEEDBACK_ROW),
    ("feedback:feedback_team", "manager", _add_feedback, _FEEDBACK_ROW),
    ("people:directory", "owner", _add_people, _PERSON_ROW),
]
IDS = [name for name, *_rest in LISTS]


def _walk(client: Client, url: str, row: re.Pattern[str], rel: str, query: str = "") -> list[str]:
    """Follow the `rel` links from `url?query` to the end; every row id seen, in order."""
    seen: list[str] = []
    for _page in range(100):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200
        content = response.content.decode()
        rows = row.findall(content)
        seen.extend(rows if rel == "next" else reversed(rows))
        links = {kind: html.unescape(target) for target, kind in _LINK.findall(content)}
        if rel not in links:
            return seen
        query = links[rel]
    raise AssertionError("the links never end")


@pytest.mark.parametrize(("name", "reader", "add", "row"), LISTS, ids=IDS)
def test_paging_forward_and_back_shows_every_row_exactly_once(
    org: OrgPeople, name: str, reader: str, add: Callable[[OrgPeople, int], None], row: re.Pattern
) -> None:
    add(org, 230)
    client = login(Client(), getattr(org, reader))
    url = _url(org, name)

    forward = _walk(client, url, row, "next")
    last_query = ""
    for _page in range(10):  # to the last page, then back from there
        content = client.get(f"{url}?{last_query}").content.decode()
        following = dict((kind, target) for target, kind in _LINK.findall(content)).get("next")
        if following is None:
            break
        last_query = html.unescape(following)
    backward = _walk(client, url, row, "prev", last_query)

    assert len(forward) > 110, "more than one page"
    assert len(forward) == len(set(forward)), "a row appeared on two pages"
    assert backward == list(reversed(forward))


def test_a_filter_stays_in_the_page_links(org: OrgPeople) -> None:
    _add_goals(org, 150, status=GoalStatus.ACTIVE)
    _add_goals(org, 120, status=GoalStatus.DRAFT)
    client = login(Client(), org.manager)

    shown = _walk(client, _url(org, "goals:team"), _GOAL_ROW, "next", "status=draft")

    with organization_scope(org.organization):
        statuses = set(Goal.objects.filter(pk__in=shown).values_list("status", flat=True))
    assert len(shown) == 120
    assert statuses == {GoalStatus.DRAFT}


_UNREAD_COUNT = re.compile(r'COUNT\([^)]*\)(?= AS "\w+" FROM "notifications_notification")')


def _without_unread_count(sql: str) -> str:
    """The statement without the header's unread count, which rides on the membership
    look-up of every page (perfmgmt/notifications/selectors.py, `UNREAD_COUNT`)."""
    return _UNREAD_COUNT.sub("", sql)


@pytest.mark.parametrize(("name", "reader", "add", "row"), LISTS, ids=IDS)
def test_no_list_page_counts_its_rows(
    org: OrgPeople, name: str, reader: str, add: Callable[[OrgPeople, int], None], row: re.Pattern
) -> None:
    add(org, 120)
    client = login(Client(), getattr(org, reader))
    first = client.get(_url(org, name)).content.decode()
    following = html.unescape(next(t for t, kind in _LINK.findall(first) if kind == "next"))
    table = {"goals": "goals_goal", "feedback": "feedback_feedback", "people": "tenancy_membership"}
    counted = f'FROM "{table[name.split(":")[0]]}"'

    for query in ("", following):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{_url(org, name)}?{query}").status_code == 200
        counts = [
            q["sql"]
            for q in captured
            if "COUNT(" in _without_unread_count(q["sql"]).upper() and counted in q["sql"]
        ]
        assert counts == [], counts


@pytest.mark.parametrize(("name", "reader", "add", "row"), LISTS, ids=IDS)
def test_a_list_page_runs_the_same_queries_at_5_50_and_1000_rows(
    org: OrgPeople, name: str, reader: str, add: Callable[[OrgPeople, int], None], row: re.Pattern
) -> None:
    client = login(Client(), getattr(org, reader))
    url = _url(org, name)
    client.get(url)  # once-per-process lookups
    counts, shown = [], []
    for more in (5, 45, 950):
        add(org, more)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(captured))
        shown.append(len(row.findall(response.content.decode())))
    assert shown[0] >= 5, "the page must actually list the rows"
    assert shown[2] > shown[0]
    assert counts[0] == counts[1] == counts[2]


@pytest.mark.parametrize(
    "cursor",
    ["garbage", "WyJuIixbXV0", "WyJuIixbIjIwMjYtMDEtMDFUMDA6MDA6MDBaIiwxXV0:1vXyZa:forged"],
    ids=["garbage", "unsigned", "forged-signature"],
)
@pytest.mark.parametrize(("name", "reader", "add", "row"), LISTS, ids=IDS)
def test_a_tampered_cursor_is_a_clear_400_page(
    org: OrgPeople,
    name: str,
    reader: str,
    add: Callable[[OrgPeople, int], None],
    row: re.Pattern,
    cursor: str,
) -> None:
    client = login(Client(), getattr(org, reader))

    response = client.get(_url(org, name), {"cursor": cursor, "status": "active"})

    assert response.status_code == 400
    content = response.content.decode()
    assert "This page link is broken; start again." in content
    assert 'href="?status=active"' in content


def test_a_cursor_of_another_list_or_an_edited_one_is_refused(org: OrgPeople) -> None:
    _add_goals(org, 120)
    _add_people(org, 120)
    client = login(Client(), org.owner)
    people = client.get(_url(org, "people:directory")).content.decode()
    people_next = html.unescape(next(t for t, kind in _LINK.findall(people) if kind == "next"))
    cursor = parse_qs(people_next)["cursor"][0]
    middle = len(cursor) // 3
    edited = urlencode({"cursor": cursor[:middle] + ("A" if cursor[middle] != "A" else "B")
                        + cursor[middle + 1 :]})  # fmt: skip

    on_goals = client.get(f"{_url(org, 'goals:team')}?{people_next}")
    on_people = client.get(f"{_url(org, 'people:directory')}?{edited}")

    assert people_next != edited
    assert on_goals.status_code == 400
    assert on_people.status_code == 400
