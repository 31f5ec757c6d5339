"""bench/people_sync.py runs, at a size a test can afford."""

from __future__ import annotations

from bench.people_sync import report, run
from perfmgmt.tenancy.models import Organization


def test_the_people_sync_benchmark_runs_and_leaves_nothing_behind(db) -> None:
    organizations = Organization.objects.count()

    measures = run(500)

    sync, replay, copy = measures
    assert sync.detail == "created 500, updated 0, unchanged 0, errors 0"
    assert replay.detail == "created 0, updated 0, unchanged 500, errors 0"
    assert replay.statements < sync.statements <= 15  # a fixed number, whatever the size
    assert copy.detail == "copied 1000 rows"  # the sync's 500 logins and 500 memberships
    assert "x COPY" in report(measures)
    assert Organization.objects.count() == organizations
