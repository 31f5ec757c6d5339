"""Goal list pages benchmark: a VP's "my goals" and "team goals" at 50 and at 10,000 people.

    python -m bench.pages                              # the small and the large profile
    python -m bench.pages --small tiny --large small --rounds 3

Seeds two organizations with `bench.seed` (rolled back at the end) and requests each page
as the VP (one of the top's direct reports, as `bench.api_lists` picks), signed in, through
Django's test client with production-like settings. For each page it prints, A/B
interleaved, medians of the paired ratios:

- its cost at the large profile against its cost at the small one (target <= 1.5x);
- the large page against an HTTP floor: a trivial page of the same organization behind the
  same middleware, session and organization resolution (`bench/page_floor.py`; target
  <= 5x); beside it, without a target, the page against the empty page layout of the
  organization (navigation, menus, unread count: what every page pays around its content);
- the largest number of bind parameters of any statement the large page runs (target
  <= 50), and the page's size.

A benchmark, not a test (tests/test_bench_pages.py runs it tiny so it cannot rot).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from bench.api_lists import paired, production_like

SCALE_LIMIT = 1.5
FLOOR_LIMIT = 5.0
PARAMETER_LIMIT = 50
PAGES = (
    ("my goals, VP", "/o/{slug}/goals/"),
    ("team goals, VP", "/o/{slug}/goals/team/"),
)
FLOOR = "/o/{slug}/bench-floor/"
LAYOUT = "/o/{slug}/bench-layout/"


@dataclass(frozen=True)
class PageResult:
    name: str
    small_seconds: float
    large_seconds: float
    scale_ratio: float  # large / small, median of pairs
    floor_seconds: float
    floor_ratio: float  # large / floor, median of pairs
    layout_ratio: float  # large / the empty page layout, median of pairs (no target)
    parameters: int  # the most bind parameters of any statement of the large page
    statements: int
    size: int

    @property
    def passed(self) -> bool:
        return (
            self.scale_ratio <= SCALE_LIMIT
            and self.floor_ratio <= FLOOR_LIMIT
            and self.parameters <= PARAMETER_LIMIT
        )

    def line(self) -> str:
        return (
            f"{self.name:<15} {self.small_seconds * 1000:7.1f} {self.large_seconds * 1000:7.1f} ms"
            f" {self.scale_ratio:5.2f}x (<= {SCALE_LIMIT}x)  {self.floor_seconds * 1000:6.1f} ms"
            f" {self.floor_ratio:5.2f}x (<= {FLOOR_LIMIT:.0f}x) {self.layout_ratio:6.2f}x"
            f"  {self.parameters:4d} (<= "
            f"{PARAMETER_LIMIT}) {self.statements:4d}  {self.size / 1024:6.1f} KiB  "
            f"{'pass' if self.passed else 'FAIL'}"
        )


HEADER = (
    f"{'page':<15} {'small':>7} {'large':>7}    {'ratio':>5} {'(target)':>9}  {'floor':>6}   "
    f" {'ratio':>5} {'(target)':>7} {'layout':>7}  {'params':>4} {'(target)':>7} {'stmts':>4}"
    f"  {'size':>10}  result"
)


def _get(client: Any, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(response.content)


@contextmanager
def _statements() -> Iterator[list[int]]:
    """The number of bind parameters of each statement run inside."""
    from django.db import connection

    seen: list[int] = []

    def record(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(len(params or ()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield seen


def _client(seeded: Any) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(seeded.vp.user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def measure(small: Any, large: Any, name: str, url: str, rounds: int) -> PageResult:
    small_client, large_client = _client(small), _client(large)
    small_url = url.format(slug=small.organization.slug)
    large_url = url.format(slug=large.organization.slug)
    floor_url = FLOOR.format(slug=large.organization.slug)
    layout_url = LAYOUT.format(slug=large.organization.slug)
    with _statements() as seen:
        size = _get(large_client, large_url)
    large_seconds, small_seconds, scale = paired(
        lambda: _get(large_client, large_url), lambda: _get(small_client, small_url), rounds
    )
    _page, floor_seconds, over_floor = paired(
        lambda: _get(large_client, large_url), lambda: _get(large_client, floor_url), rounds
    )
    _page, _layout, over_layout = paired(
        lambda: _get(large_client, large_url), lambda: _get(large_client, layout_url), rounds
    )
    return PageResult(
        name=name,
        small_seconds=small_seconds,
        large_seconds=large_seconds,
        scale_ratio=scale,
        floor_seconds=floor_seconds,
        floor_ratio=over_floor,
        layout_ratio=over_layout,
        parameters=max(seen, default=0),
        statements=len(seen),
        size=size,
    )


class _RollBack(Exception):
    pass


def run(small: str = "small", large: str = "large", rounds: int = 7) -> list[PageResult]:
    """Seed both profiles, measure every page, roll back."""
    from django.db import transaction

    from bench.seed import seed

    results: list[PageResult] = []
    try:
        with production_like("bench.page_floor"), transaction.atomic():
            small_seeded, large_seeded = seed(small), seed(large)
            for name, url in PAGES:
                results.append(measure(small_seeded, large_seeded, name, url, rounds))
            raise _RollBack
    except _RollBack:
        pass
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", default="small", help="bench.seed profile to compare with")
    parser.add_argument("--large", default="large", help="bench.seed profile measured")
    parser.add_argument("--rounds", type=int, default=7, help="A/B pairs per figure")
    arguments = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfmgmt.settings.dev")
    import logging

    import django

    django.setup()
    logging.disable(logging.INFO)  # the request log of every timed request, on both sides
    results = run(arguments.small, arguments.large, arguments.rounds)
    print(
        f"Goal list pages as the VP: {arguments.small} vs {arguments.large} profile, "
        f"{arguments.rounds} A/B pairs, medians of paired ratios; load average "
        + " ".join(f"{figure:.1f}" for figure in os.getloadavg())
    )
    print(HEADER)
    for result in results:
        print(result.line(), flush=True)
    print("All targets hold." if all(r.passed for r in results) else "Some targets FAIL.")


if __name__ == "__main__":
    main()
