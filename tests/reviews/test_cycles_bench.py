"""The cycle-launch benchmark runs (small), so it cannot rot."""

from __future__ import annotations

import pytest

from bench.cycle_launch import run
from perfmgmt.tenancy.models import Organization

pytestmark = pytest.mark.django_db


def test_the_benchmark_launches_everyone_and_leaves_nothing_behind() -> None:
    before = Organization.objects.count()
    result = run(200)
    assert result.participants == 200
    # Everyone writes a self-assessment; all but the top of the tree have a manager.
    assert result.reviews == 200 + 199
    assert result.launch_statements < 40
    assert result.copy_seconds > 0
    assert "launch/COPY" in result.line()
    assert Organization.objects.count() == before
