"""The page's statements do not grow with the organization: the same number of queries for
5 and 40 people with rows in every metric, for HR, HR narrowed to a team and a manager, and
no statement with more than 50 bind parameters or a list of ids."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, Role, Team
from tests.analytics.factories import checkin_at, feedback_at, goal_due, meeting_at
from tests.analytics.world import NOW
from tests.conftest import OrgPeople, login
from tests.factories import MembershipFactory, OrganizationFactory, TeamFactory
from tests.reviews.factories import running_cycle
from tests.reviews.release_helpers import submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

MAX_PARAMETERS = 50
_LISTED = re.compile(r"IN \(((?:%s, )*%s)\)")


def build(size: int) -> OrgPeople:
    """An owner, a manager with `size` reports in two teams (one below the other), each
    with check-ins, 1:1s, goals and feedback over the months, and a reviewed cycle."""
    organization = OrganizationFactory.create(slug=f"size-{size}", time_zone="Europe/Berlin")
    top = TeamFactory.create(organization=organization, name="Top")
    below = TeamFactory.create(organization=organization, name="Below", parent=top)
    owner = MembershipFactory.create(organization=organization, role=Role.OWNER, team=top)
    manager = MembershipFactory.create(organization=organization, manager=owner, team=top)
    people = [
        MembershipFactory.create(
            organization=organization, manager=manager, team=below if n % 2 else top
        )
        for n in range(size)
    ]
    for number, person in enumerate(people):
        moment = NOW - timedelta(days=20 * number % 300)
        checkin_at(person, moment)
        meeting_at(manager, person, moment)
        goal_due(person, date(2026, 1 + number % 6, 10), progress="1")
        feedback_at(person, manager, moment)
    people_of = OrgPeople(organization, owner, owner, manager, people[0], people[1], people[2])
    cycle = running_cycle(people_of, people)
    with organization_scope(organization):
        for participant in cycle.participants.all():
            for review in participant.reviews.all():
                submit(review, {"How did the period go overall?": "3"})
        cycle.participants.update(released_at=NOW)
        Membership.objects.update(created_at=NOW - timedelta(days=400))
    return people_of


@contextmanager
def statements() -> Iterator[list[tuple[str, int]]]:
    seen: list[tuple[str, int]] = []

    def record(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append((sql, len(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield seen


def _ask(org: OrgPeople, reader: Membership, **choices: Any) -> list[tuple[str, int]]:
    url = reverse("analytics:page", kwargs={"org_slug": org.organization.slug})
    if choices.pop("below", False):
        with organization_scope(org.organization):
            choices["team"] = Team.objects.get(name="Below").pk
    client = login(Client(), reader)
    client.get(url, {"months": 24, **choices})  # once-per-process look-ups
    with statements() as seen:
        response = client.get(url, {"months": 24, **choices})
    assert response.status_code == 200
    assert response.context["metrics"]
    return seen


@pytest.mark.parametrize(
    ("who", "choices"),
    [("owner", {}), ("owner", {"below": True}), ("manager", {}), ("manager", {"below": True})],
)
def test_the_page_runs_as_many_statements_for_5_and_for_40_people(
    who: str, choices: dict[str, Any]
) -> None:
    small, large = build(5), build(40)

    counts = [len(_ask(org, getattr(org, who), **dict(choices))) for org in (small, large)]

    assert counts[0] == counts[1]


def test_no_statement_has_more_than_50_parameters_or_a_list_of_ids() -> None:
    large = build(40)

    for reader, choices in ((large.owner, {}), (large.manager, {"below": True})):
        for sql, parameters in _ask(large, reader, **choices):
            assert parameters <= MAX_PARAMETERS, (parameters, sql)
            longest = max((m.group(1).count("%s") for m in _LISTED.finditer(sql)), default=0)
            assert longest <= 10, sql


def test_the_csv_runs_as_many_statements_for_5_and_for_40_people() -> None:
    counts = []
    for org in (build(5), build(40)):
        url = reverse("web:export_analytics", kwargs={"org_slug": org.organization.slug})
        client = login(Client(), org.manager)
        with statements() as seen:
            response = client.get(url, {"months": 24})
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
        counts.append(len(seen))
    assert counts[0] == counts[1]
