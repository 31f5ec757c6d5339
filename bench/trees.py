"""Tree pages benchmark: the org chart, the goal tree as HR and the 1:1 index at 50 and at
10,000 people, side by side.

    python -m bench.trees                       # 50 and 10,000 people
    python -m bench.trees --small 50 --large 2000 --rounds 9

Builds two throwaway organizations in one transaction (bulk inserts, deterministic): people
in a six-level reporting tree (each manager has six reports) and five goals a person, one
aligned under their manager's first goal, the others their own, under three company goals.
Then it requests each page as the organization's owner (an HR role) through Django's test
client, the small and the large organization alternately (A/B interleaved, so drift on a
shared machine hits both alike), and prints for each page the median of the paired time
ratios (large / small), the large page's size and the peak memory Python allocated while
serving it (tracemalloc), each with its target and pass or fail. Everything is rolled back
at the end: nothing stays in the database. A benchmark, not a test (tests/test_bench_trees.py
runs it small so it cannot rot).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import tracemalloc
import uuid
from dataclasses import dataclass
from typing import Any

FAN_OUT = 6
GOALS_PER_PERSON = 5
COMPANY_GOALS = 3
SIZE_LIMIT = 500 * 1024
TIME_RATIO_LIMIT = 3.0
MEMORY_RATIO_LIMIT = 3.0
PAGES = (
    ("org chart", "/o/{slug}/people/org-chart/", True),
    ("goal tree as HR", "/o/{slug}/goals/tree/", True),
    ("1:1 index", "/o/{slug}/one-on-ones/", False),
)


@dataclass(frozen=True)
class PageResult:
    name: str
    time_ratio: float
    small_seconds: float
    large_seconds: float
    small_bytes: int
    large_bytes: int
    small_peak: int
    large_peak: int
    size_bounded: bool  # whether the page has a size target (< 500 KiB)

    @property
    def memory_ratio(self) -> float:
        return self.large_peak / self.small_peak if self.small_peak else float("inf")

    @property
    def passed(self) -> bool:
        size_ok = not self.size_bounded or self.large_bytes < SIZE_LIMIT
        return (
            size_ok
            and self.time_ratio <= TIME_RATIO_LIMIT
            and self.memory_ratio <= MEMORY_RATIO_LIMIT
        )

    def line(self) -> str:
        size_target = "< 500 KiB" if self.size_bounded else "-"
        return (
            f"{self.name:<16} {self.small_seconds * 1000:7.1f} ms {self.large_seconds * 1000:7.1f}"
            f" ms {self.time_ratio:5.2f}x (<= {TIME_RATIO_LIMIT:.0f}x)  "
            f"{self.small_bytes / 1024:6.1f} {self.large_bytes / 1024:6.1f} KiB ({size_target:>9})"
            f"  {self.small_peak / 1024:6.0f} {self.large_peak / 1024:6.0f} KiB"
            f" {self.memory_ratio:4.2f}x (<= {MEMORY_RATIO_LIMIT:.0f}x)"
            f"  {'pass' if self.passed else 'FAIL'}"
        )


HEADER = (
    f"{'page':<16} {'time small':>10} {'large':>10} {'ratio':>6} {'(target)':>9}  "
    f"{'size small':>10} {'large':>6} {'(target)':>13}  {'peak small':>10} {'large':>10}"
    f" {'ratio':>5} {'(target)':>9}  result"
)


class _RollBack(Exception):
    pass


_TREE_SQL = """
WITH ranked AS (
    SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM tenancy_membership
    WHERE organization_id = %s
)
UPDATE tenancy_membership m SET manager_id = boss.id
FROM ranked me JOIN ranked boss ON boss.n = (me.n - 1) / %s
WHERE m.id = me.id AND me.n > 0
"""

# Each person's first goal supports their manager's first goal; the top person's first
# goals support the company goals in turn.
_ALIGN_SQL = """
WITH firsts AS (
    SELECT DISTINCT ON (owner_person_id) owner_person_id AS person_id, id
    FROM goals_goal WHERE organization_id = %s AND owner_kind = 'person'
    ORDER BY owner_person_id, id
)
UPDATE goals_goal g SET parent_id = boss_goal.id
FROM firsts mine
JOIN tenancy_membership m ON m.id = mine.person_id
JOIN firsts boss_goal ON boss_goal.person_id = m.manager_id
WHERE g.id = mine.id
"""


def _organization(people: int) -> tuple[Any, Any]:
    """An organization of `people` in a reporting tree with goals; its owner."""
    from django.db import connection

    from goals.models import Goal, GoalStatus, OwnerKind
    from perfmgmt.accounts.models import User
    from perfmgmt.tenancy.context import organization_scope
    from perfmgmt.tenancy.models import Membership, Organization, Role

    tag = uuid.uuid4().hex[:8]
    organization = Organization.objects.create(name=f"Bench {people}", slug=f"bench-{tag}")
    with organization_scope(organization):
        users = User.objects.bulk_create(
            [
                User(email=f"bench-{tag}-{n}@example.invalid", full_name=f"Person {n:05d}")
                for n in range(people)
            ],
            batch_size=2000,
        )
        members = Membership.objects.bulk_create(
            [
                Membership(
                    organization=organization,
                    user=user,
                    full_name=user.full_name,
                    job_title="Engineer",
                )
                for user in users
            ],
            batch_size=2000,
        )
        owner = members[0]
        Membership.objects.filter(pk=owner.pk).update(role=Role.OWNER)
        owner.role = Role.OWNER
        company = Goal.objects.bulk_create(
            [
                Goal(
                    organization=organization,
                    owner_kind=OwnerKind.ORGANIZATION,
                    title=f"Company goal {n}",
                    status=GoalStatus.ACTIVE,
                )
                for n in range(COMPANY_GOALS)
            ]
        )
        Goal.objects.bulk_create(
            [
                Goal(
                    organization=organization,
                    owner_kind=OwnerKind.PERSON,
                    owner_person=member,
                    title=f"Goal {n} of {member.full_name}",
                    status=GoalStatus.ACTIVE,
                    parent=company[n % COMPANY_GOALS] if member is owner else None,
                )
                for member in members
                for n in range(GOALS_PER_PERSON)
            ],
            batch_size=5000,
        )
        with connection.cursor() as cursor:
            cursor.execute(_TREE_SQL, [organization.pk, FAN_OUT])
            cursor.execute(_ALIGN_SQL, [organization.pk])
    return organization, owner


def _timed(client: Any, url: str) -> tuple[float, int]:
    """One request: seconds and bytes."""
    started = time.perf_counter()
    response = client.get(url)
    seconds = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return seconds, len(response.content)


def _peak(client: Any, url: str) -> int:
    """Peak bytes Python allocated while serving one request (timed apart: tracing slows
    every allocation down)."""
    tracemalloc.start()
    client.get(url)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def _compare(small: Any, large: Any, name: str, url: str, bounded: bool, rounds: int) -> Any:
    """A/B interleaved: small, large, small, large... (after one warm-up of each)."""
    (small_org, small_client), (large_org, large_client) = small, large
    small_url, large_url = url.format(slug=small_org.slug), url.format(slug=large_org.slug)
    _timed(small_client, small_url)
    _timed(large_client, large_url)
    pairs = [
        (_timed(small_client, small_url), _timed(large_client, large_url)) for _ in range(rounds)
    ]
    ratios = [big[0] / little[0] for little, big in pairs]
    return PageResult(
        name=name,
        time_ratio=statistics.median(ratios),
        small_seconds=statistics.median(little[0] for little, _big in pairs),
        large_seconds=statistics.median(big[0] for _little, big in pairs),
        small_bytes=pairs[-1][0][1],
        large_bytes=pairs[-1][1][1],
        small_peak=_peak(small_client, small_url),
        large_peak=_peak(large_client, large_url),
        size_bounded=bounded,
    )


def run(small_people: int = 50, large_people: int = 10_000, rounds: int = 7) -> list[PageResult]:
    """Build both organizations, measure every page, roll back."""
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import override_settings

    # As in production: no query log kept; static files named without a collected manifest.
    production_like = override_settings(
        DEBUG=False,
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
    results: list[PageResult] = []
    try:
        with production_like, transaction.atomic():
            built = []
            for people in (small_people, large_people):
                organization, owner = _organization(people)
                client = Client()
                client.force_login(owner.user, backend="django.contrib.auth.backends.ModelBackend")
                built.append((organization, client))
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE tenancy_membership")
                cursor.execute("ANALYZE goals_goal")
            for name, url, bounded in PAGES:
                results.append(_compare(built[0], built[1], name, url, bounded, rounds))
            raise _RollBack
    except _RollBack:
        pass
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=50, help="people in the small organization")
    parser.add_argument("--large", type=int, default=10_000, help="people in the large one")
    parser.add_argument("--rounds", type=int, default=7, help="A/B pairs per page")
    arguments = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfmgmt.settings.dev")
    import django

    django.setup()
    results = run(arguments.small, arguments.large, arguments.rounds)
    print(
        f"Tree pages: {arguments.small} vs {arguments.large} people "
        f"({GOALS_PER_PERSON} goals a person), {arguments.rounds} A/B pairs, medians"
    )
    print(HEADER)
    for result in results:
        print(result.line(), flush=True)
    print("All targets hold." if all(r.passed for r in results) else "Some targets FAIL.")


if __name__ == "__main__":
    main()
