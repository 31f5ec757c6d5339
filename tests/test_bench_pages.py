"""The goal list pages benchmark runs (tiny against small), so it cannot rot."""

from __future__ import annotations

import pytest

from bench.pages import HEADER, PAGES, run
from perfmgmt.tenancy.models import Organization

pytestmark = pytest.mark.django_db


def test_the_benchmark_measures_both_goal_pages_against_a_floor_and_leaves_nothing_behind() -> None:
    before = Organization.objects.count()

    results = run(small="tiny", large="small", rounds=1)

    assert [result.name for result in results] == [name for name, _url in PAGES]
    for result in results:
        assert result.size > 1000
        assert result.statements > 0
        assert result.parameters > 0
        assert result.scale_ratio > 0
        assert result.floor_ratio > 0
        assert result.layout_ratio > 0
        assert result.line().endswith(("pass", "FAIL"))
    assert "result" in HEADER
    assert Organization.objects.count() == before
