"""The sweep under a worker's soft time limit, delivered as the prefork pool delivers it (a
signal that raises wherever the task is, here inside a SQL statement sent in autocommit),
on a database the test commits to, as the worker's is."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from unittest import mock

import pytest
from django.db import connection

from bench.sweep_huge import time_limits
from perfmgmt.notifications import sweep
from perfmgmt.notifications.tasks import sweep_organization
from perfmgmt.tenancy.models import Organization
from tests.conftest import OrgPeople

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_statement_cut_by_the_soft_time_limit_leaves_the_continuation_a_working_connection(
    org: OrgPeople,
) -> None:
    calls: list[str] = []

    @sweep.reminder("aaa-slow-statement")
    def slow_statement(organization: Organization, now: datetime) -> int:
        calls.append("called")
        if len(calls) == 1:
            with connection.cursor() as cursor:  # autocommit: no transaction to roll back
                cursor.execute("SELECT pg_sleep(10)")
        return 0

    continuations: list[dict[str, Any]] = []
    try:
        with mock.patch.object(
            sweep_organization,
            "apply_async",
            lambda args, kwargs, **options: continuations.append(kwargs),
        ):
            with time_limits(2, 60):
                sweep_organization(org.organization.pk)
            # The same worker process runs the continuation, on the same connection.
            results = sweep_organization(org.organization.pk, **continuations[0])
    finally:
        sweep.unregister("aaa-slow-statement")

    assert [(c["resume_from"], c["continuation"]) for c in continuations] == [
        ("aaa-slow-statement", 1)
    ]
    assert continuations[0]["position"]["after"] == {}  # it had read no rows through the ledger
    assert calls == ["called", "called"]
    assert results["aaa-slow-statement"] == 0
    assert "goal-not-updated" in results  # the later producers ran too
