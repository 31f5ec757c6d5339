"""The audit log reads a fixed number of queries at 5 and at 50 entries, and no statement
grows with the page (names are joined in SQL, never asked for as a list of ids)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.audit.helpers import record
from tests.conftest import OrgPeople, build_org, login
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

_LISTED = re.compile(r"IN \(((?:%s, )*%s)\)")


def _with_entries(org: OrgPeople, count: int) -> None:
    """`count` entries, each about a different person and by a different actor."""
    for number in range(count):
        person: Membership = MembershipFactory.create(
            organization=org.organization, full_name=f"Person {number}"
        )
        record(org, actor=person if number % 2 else org.hr, target=person)


def _page(org: OrgPeople) -> Callable[[], Any]:
    client = login(Client(), org.owner)
    return lambda: client.get(f"/o/{org.organization.slug}/people/audit/?group=people")


def _api(org: OrgPeople) -> Callable[[], Any]:
    client = APIClient()
    client.force_login(org.owner.user, backend="django.contrib.auth.backends.ModelBackend")
    return lambda: client.get(f"/api/v1/orgs/{org.organization.slug}/audit-entries/?page_size=200")


def _count(request: Callable[[], Any]) -> int:
    request()  # once-per-process lookups
    with CaptureQueriesContext(connection) as queries:
        assert request().status_code == 200
    return len(queries)


@pytest.mark.parametrize("reader", [_page, _api], ids=["page", "api"])
def test_the_list_runs_the_same_queries_at_5_and_at_50_entries(
    reader: Callable[[OrgPeople], Callable[[], Any]],
) -> None:
    small, large = build_org("audit-small"), build_org("audit-large")
    _with_entries(small, 5)
    _with_entries(large, 50)
    assert _count(reader(small)) == _count(reader(large))


@contextmanager
def _statements() -> Iterator[list[tuple[str, int]]]:
    seen: list[tuple[str, int]] = []

    def capture(execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any) -> Any:
        seen.append((sql, len(params or ())))
        return execute(sql, params, many, ctx)

    with connection.execute_wrapper(capture):
        yield seen


def test_no_statement_grows_with_a_page_of_200_entries_or_an_export(org: OrgPeople) -> None:
    _with_entries(org, 210)
    client = login(Client(), org.owner)
    api = _api(org)
    with _statements() as seen:
        assert client.get("/o/acme/people/audit/").status_code == 200
        assert api().status_code == 200
        export = client.post("/o/acme/people/audit/export/", {"file_format": "csv"})
        lines = b"".join(export.streaming_content).decode().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 + 210 + 1  # the header, the entries and the export's own entry
    assert len(api().json()["results"]) == 200
    for sql, parameters in seen:
        longest = max((m.group(1).count("%s") for m in _LISTED.finditer(sql)), default=0)
        assert parameters <= 30, sql
        assert longest <= 10, sql
        assert len(sql) < 10_000, sql
    with organization_scope(org.organization):
        assert Membership.objects.count() > 210
