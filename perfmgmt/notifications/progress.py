"""How far a producer got: the keyset position a continuation resumes after.

The sweep runs each producer inside `tracking`. A producer that reads its rows through
`ledger.deliver_rows` records there, after each commit, the primary key of the last row
whose reminders are all committed, per scan (a producer may read more than one table; each
read has its own name). When the soft time limit stops the producer, the sweep hands these
positions to the continuation, which starts each scan after its position instead of from
the first row: a cut run and its continuation read each row about once.

A position only ever skips rows whose reminders are committed; rows that become due behind
it later (a goal that goes quiet, a meeting moved to tomorrow) are found by the next beat
tick, which starts every scan from the beginning, as they would be if the scan had passed
them without a cut.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

Positions = dict[str, int]


@dataclass
class Progress:
    """The positions a producer starts after (`start`) and has committed up to (`reached`)."""

    start: Positions = field(default_factory=dict)
    reached: Positions = field(default_factory=dict)

    def resumes_after(self, scan: str) -> int | None:
        return self.reached.get(scan, self.start.get(scan))

    def record(self, scan: str, position: int) -> None:
        self.reached[scan] = position

    def positions(self) -> Positions:
        return {**self.start, **self.reached}


_current: ContextVar[Progress | None] = ContextVar("sweep_progress", default=None)


@contextmanager
def tracking(start: Positions | None = None) -> Iterator[Progress]:
    """Record the positions of the scans run inside, starting after `start`."""
    progress = Progress(start=dict(start or {}))
    token = _current.set(progress)
    try:
        yield progress
    finally:
        _current.reset(token)


def current() -> Progress:
    """The running producer's progress; outside a sweep, one that nobody reads."""
    return _current.get() or Progress()
