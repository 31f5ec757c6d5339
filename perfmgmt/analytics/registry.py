"""The metrics of the analytics page: an extension point every app fills from its own
`analytics.py` (discovered when the analytics app is ready, like `navigation`).

A metric is a title, a sentence saying what it counts, and `compute(scope, period)`: its
figures for the people of `scope` over the months of `period`, as tables (months, cycles or
teams as rows) the page, its chart and the CSV export all show. A metric counts only rows
whose person is in the scope (`scope.people_q(...)`, in SQL) and runs a fixed number of
aggregate statements, whatever the number of people or months.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise

from perfmgmt.registry import Registry

from .figures import Table
from .scope import Period, Scope


@dataclass(frozen=True)
class Metric:
    key: str
    title: str | Promise
    description: str | Promise
    compute: Callable[[Scope, Period], Sequence[Table]]
    order: int = 100


_metrics: Registry[Metric] = Registry()


def register(*metrics: Metric) -> None:
    """Add metrics to the page. Registering the same one twice is a no-op."""
    for metric in metrics:
        _metrics.add(metric)


def registered() -> list[Metric]:
    return sorted(_metrics, key=lambda metric: (metric.order, metric.key))


restored_after = _metrics.restored_after
