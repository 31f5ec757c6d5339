"""The tree pages benchmark runs (small), so it cannot rot."""

from __future__ import annotations

import pytest

from bench.trees import HEADER, PAGES, run
from perfmgmt.tenancy.models import Organization

pytestmark = pytest.mark.django_db


def test_the_benchmark_measures_every_tree_page_and_leaves_nothing_behind() -> None:
    before = Organization.objects.count()

    results = run(small_people=10, large_people=120, rounds=1)

    assert [result.name for result in results] == [name for name, _url, _bounded in PAGES]
    for result in results:
        assert result.small_bytes > 1000
        assert result.large_bytes > 1000
        assert result.small_peak > 0
        assert result.line().endswith(("pass", "FAIL"))
    assert "result" in HEADER
    assert Organization.objects.count() == before
