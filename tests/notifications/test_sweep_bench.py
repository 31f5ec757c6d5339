"""The sweep benchmark runs (small), so it cannot rot."""

from __future__ import annotations

import pytest

from bench.sweep import HEADER, run, verdicts
from perfmgmt.tenancy.models import Organization

pytestmark = pytest.mark.django_db


def test_the_sweep_benchmark_counts_both_runs_and_leaves_nothing_behind() -> None:
    before = Organization.objects.count()

    results = run(small_people=10, large_people=60)

    assert [result.first.created for result in results] == [20, 120]
    assert [result.repeat.created for result in results] == [0, 0]
    assert all(result.first.messages >= 1 for result in results)
    assert all(result.repeat.messages == 0 for result in results)
    assert "repeat" in HEADER
    assert all(verdict.endswith(("pass", "FAIL")) for verdict in verdicts(results))
    assert Organization.objects.count() == before
