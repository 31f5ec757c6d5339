"""The team goals list: its stored owner lines (`GoalOwnerLine`, kept by triggers), its walk
(only goals of people below and of their teams, another organization's never, newest first
and every row once across pages, also when someone's line changes between two pages), its
statement (one, bounded) and its rows (the shared goal snippets' markup, made once)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from goals.models import Confidence, Goal, GoalOwnerLine, GoalStatus, OwnerKind
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, Team
from tests.conftest import OrgPeople, login
from tests.factories import TeamFactory

from .factories import GoalFactory

pytestmark = pytest.mark.django_db

_ROW = re.compile(r'<tr>\s*<td><a href="/o/[^/]+/goals/(\d+)/"')
_NEXT = re.compile(r'href="\?([^"]*)" rel="next"')
_PREVIOUS = re.compile(r'href="\?([^"]*)" rel="prev"')


def _lines(org: OrgPeople) -> set[tuple[int, int]]:
    with organization_scope(org.organization):
        return set(GoalOwnerLine.objects.values_list("goal_id", "above_id"))


def _expected_lines(org: OrgPeople) -> set[tuple[int, int]]:
    """(goal, person above its owner) from the manager links, walked here in Python."""
    with organization_scope(org.organization):
        managers = dict(Membership.objects.values_list("pk", "manager_id"))
        goals = Goal.objects.filter(owner_kind=OwnerKind.PERSON)
        expected = set()
        for goal_id, owner_id in goals.values_list("pk", "owner_person_id"):
            above = managers[owner_id]
            while above is not None:
                expected.add((goal_id, above))
                above = managers[above]
    return expected


def _goal(org: OrgPeople, **kwargs: object) -> Goal:
    with organization_scope(org.organization):
        return GoalFactory.create(organization=org.organization, **kwargs)


def _move(person: Membership, *, to: Membership | None) -> None:
    with organization_scope(person.organization):
        Membership.objects.filter(pk=person.pk).update(manager=to, manager_since=timezone.now())


def test_owner_lines_follow_new_goals_new_owners_and_moved_people(
    org: OrgPeople, other_org: OrgPeople
) -> None:
    report_goal = _goal(org, owner_person=org.report)
    _goal(org, owner_person=org.report2)
    _goal(org, owner_person=org.owner)
    with organization_scope(org.organization):
        team_goal = GoalFactory.create(
            organization=org.organization,
            owner_kind=OwnerKind.TEAM,
            owner_team=Team.objects.get(),
        )
    _goal(other_org, owner_person=other_org.report)
    assert (report_goal.pk, org.manager.pk) in _lines(org)
    assert not any(goal == team_goal.pk for goal, _above in _lines(org))
    assert _lines(org) == _expected_lines(org)

    _move(org.manager, to=org.colleague)  # a branch moves: everyone below gets a new line
    assert (report_goal.pk, org.colleague.pk) in _lines(org)
    assert _lines(org) == _expected_lines(org)

    with organization_scope(org.organization):
        report_goal.owner_person = org.colleague
        report_goal.save()
    assert _lines(org) == _expected_lines(org)

    _move(org.manager, to=None)
    with organization_scope(org.organization):
        Membership.objects.filter(pk__in=[org.report.pk, org.report2.pk]).update(manager=org.hr)
        Goal.objects.filter(pk=report_goal.pk).delete()
    assert _lines(org) == _expected_lines(org)
    assert _lines(other_org) == _expected_lines(other_org)


def _team_page(org: OrgPeople) -> str:
    return reverse("goals:team", kwargs={"org_slug": org.organization.slug})


def _walk(client: Client, url: str, *, between_pages: object = None) -> list[int]:
    seen: list[int] = []
    query = ""
    for _page in range(50):
        content = client.get(f"{url}?{query}").content.decode()
        seen.extend(int(pk) for pk in _ROW.findall(content))
        following = _NEXT.findall(content)
        if not following:
            return seen
        query = html.unescape(following[0])
        if callable(between_pages):
            between_pages()
    raise AssertionError("the links never end")


def _interleaved(org: OrgPeople, other_org: OrgPeople, count: int) -> list[Goal]:
    """`count` goals a minute apart, in turn of a report (below the manager), a colleague
    (not below), the reports' team, the manager themselves and another organization's
    report; many share an instant with the next (ties break by id)."""
    start = timezone.now()
    with organization_scope(org.organization):
        team = Team.objects.get(name="Engineering")
        elsewhere = Team.objects.filter(name="Elsewhere").first() or TeamFactory.create(
            organization=org.organization, name="Elsewhere"
        )
    goals = []
    for n in range(count):
        moment = start - timedelta(minutes=n // 2)
        turn = n % 6
        if turn == 5:
            goals.append(_goal(other_org, owner_person=other_org.report, created_at=moment))
            continue
        owners: list[dict[str, object]] = [
            {"owner_person": org.report},
            {"owner_person": org.colleague},
            {"owner_kind": OwnerKind.TEAM, "owner_team": team},
            {"owner_person": org.manager},
            {"owner_kind": OwnerKind.TEAM, "owner_team": elsewhere},
        ]
        owner = owners[turn]
        goals.append(_goal(org, created_at=moment, **owner))
    return goals


def _newest_first(goals: list[Goal]) -> list[int]:
    return [goal.pk for goal in sorted(goals, key=lambda g: (g.created_at, g.pk), reverse=True)]


def test_the_team_list_pages_through_the_goals_below_and_their_teams_only(
    org: OrgPeople, other_org: OrgPeople
) -> None:
    goals = _interleaved(org, other_org, 330)
    below = [
        goal
        for goal in goals
        if goal.organization_id == org.organization.pk
        and (goal.owner_person_id == org.report.pk or goal.owner_team_id is not None)
        and (goal.owner_team is None or goal.owner_team.name == "Engineering")
    ]
    client = login(Client(), org.manager)

    forward = _walk(client, _team_page(org))

    assert len(forward) > 100, "several pages"
    assert forward == _newest_first(below)


def test_paging_back_from_the_last_page_shows_the_same_rows(
    org: OrgPeople, other_org: OrgPeople
) -> None:
    _interleaved(org, other_org, 200)
    client = login(Client(), org.manager)
    url = _team_page(org)
    forward: list[int] = []
    query = ""
    while True:
        content = client.get(f"{url}?{query}").content.decode()
        forward.extend(int(pk) for pk in _ROW.findall(content))
        following = _NEXT.findall(content)
        if not following:
            break
        query = html.unescape(following[0])
    backward: list[int] = []
    while True:
        content = client.get(f"{url}?{query}").content.decode()
        backward[:0] = [int(pk) for pk in _ROW.findall(content)]
        previous = _PREVIOUS.findall(content)
        if not previous:
            break
        query = html.unescape(previous[0])

    assert backward == forward
    assert len(forward) == len(set(forward))


def test_a_person_moved_between_two_pages_leaves_or_joins_the_rest_of_the_walk(
    org: OrgPeople, other_org: OrgPeople
) -> None:
    start = timezone.now()
    for n in range(300):
        owner = org.report if n % 2 else org.report2
        _goal(org, owner_person=owner, created_at=start - timedelta(minutes=n))
        _goal(org, owner_person=org.colleague, created_at=start - timedelta(minutes=n, seconds=1))
    client = login(Client(), org.manager)
    moves = iter(
        [lambda: _move(org.report2, to=org.owner), lambda: _move(org.colleague, to=org.manager)]
    )

    shown = _walk(client, _team_page(org), between_pages=lambda: next(moves, lambda: None)())

    with organization_scope(org.organization):
        owners = dict(Goal.objects.filter(pk__in=shown).values_list("pk", "owner_person_id"))
    first_page = shown[:50]
    assert len(shown) == len(set(shown)), "no row twice"
    assert {owners[pk] for pk in first_page} == {org.report.pk, org.report2.pk}
    assert org.report2.pk not in {owners[pk] for pk in shown[50:]}, "left after the 1st page"
    assert org.colleague.pk in {owners[pk] for pk in shown[100:]}, "joined after the 2nd"
    with organization_scope(org.organization):
        created = dict(Goal.objects.filter(pk__in=shown).values_list("pk", "created_at"))
    moments = [(created[pk], pk) for pk in shown]
    assert moments == sorted(moments, reverse=True), "newest first throughout"


def _parameters_of_the_list(seen: list[int]) -> Callable[..., Any]:
    """An execute wrapper noting the bind parameters of each statement reading owner lines."""

    def record(execute: Callable[..., Any], sql: str, params: Any, *rest: Any) -> Any:
        if "goals_goalownerline" in sql:
            seen.append(len(params or ()))
        return execute(sql, params, *rest)

    return record


def test_the_team_list_is_one_bounded_statement_whatever_the_rows(
    org: OrgPeople, other_org: OrgPeople
) -> None:
    client = login(Client(), org.manager)
    url = _team_page(org)
    client.get(url)  # once-per-process look-ups
    counts, parameters = [], []
    for more in (6, 60, 600):
        _interleaved(org, other_org, more)
        listing: list[int] = []
        with (
            CaptureQueriesContext(connection) as captured,
            connection.execute_wrapper(_parameters_of_the_list(listing)),
        ):
            assert client.get(url).status_code == 200
        counts.append(len(captured))
        assert len(listing) == 1, "the list is one statement"
        parameters.append(listing[0])
    assert counts[0] == counts[1] == counts[2]
    assert parameters[0] == parameters[1] == parameters[2] <= 50


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_listed_goal_shows_what_the_shared_goal_snippets_show(
    org: OrgPeople, language: str
) -> None:
    with organization_scope(org.organization):
        team = Team.objects.get()
    parent = _goal(org, owner_kind=OwnerKind.ORGANIZATION, title="Grow <fast> & far")
    goals = [
        _goal(
            org,
            owner_person=org.report,
            parent=parent,
            due_date=timezone.localdate() + timedelta(days=9),
            last_confidence=Confidence.AT_RISK,
            last_update_at=timezone.now(),
            progress="0.425",
        ),
        _goal(org, owner_kind=OwnerKind.TEAM, owner_team=team, status=GoalStatus.DRAFT),
        _goal(org, owner_person=org.report2, agreed_at=timezone.now(), title='Ship "it"'),
    ]
    org.manager.user.language = language
    org.manager.user.save()
    client = login(Client(), org.manager)

    content = client.get(_team_page(org)).content.decode()

    with organization_scope(org.organization), translation.override(language):
        for goal in goals:
            listed = Goal.objects.select_related("owner_person__user", "owner_team").get(pk=goal.pk)
            context = {"goal": listed, "organization": org.organization}
            for snippet in ("_owner", "_progress", "_badges"):
                cell = render_to_string(f"goals/{snippet}.html", context)
                assert f"<td>{cell}</td>" in content, (snippet, cell)
    assert ">Grow &lt;fast&gt; &amp; far</td>" in content
