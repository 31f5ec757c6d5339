"""The 100,000-person sweep benchmark runs (at 60 people), so it cannot rot."""

from __future__ import annotations

import pytest

from bench.sweep_huge import run
from perfmgmt.tenancy.models import Organization

# The benchmark commits, as the sweep does in production, and deletes what it made.
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_huge_sweep_benchmark_creates_every_due_reminder_once_and_leaves_nothing() -> None:
    before = Organization.objects.count()
    lines: list[str] = []

    verdicts = run(60, out=lines.append)

    # 60 people: a goal and a check-in reminder each, and both sides of 59 1:1s.
    assert verdicts[1].split()[:3] == ["checkin-due", "60", "60"]
    assert verdicts[2].split()[:3] == ["goal-not-updated", "60", "60"]
    assert verdicts[3].split()[:3] == ["one-on-one-prepare", "118", "118"]
    assert verdicts[4] == "all 238 due reminders created, each once: 238  pass"
    assert verdicts[5].startswith("every created email queued exactly once")
    assert verdicts[5].endswith("pass")
    assert "repeat run: created 0, queued 0" in verdicts[-1]
    assert verdicts[-1].endswith("pass")
    assert Organization.objects.count() == before
