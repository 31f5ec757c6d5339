"""The sweep profile of the benchmark seeding: one organization of 100,000 people with the
reminders of one sweep due, for `bench.sweep_huge` (issue 13's "100,000-person sweep
profile").

    python -m bench.seed sweep --rollback        # builds it, prints the counts, keeps nothing

What is due at `MOMENT` (Wednesday 25 November 2026, 09:00 UTC), per person and in all at
100,000 people (about 210,000, as the issue measured):

- `goal-not-updated`: each person owns one active goal, silent since 1 October 2026
  (longer than the default 14 days): 100,000;
- `checkin-due`: the organization checks in weekly, due on Tuesday, reminded again two
  days later; nobody has written this week's check-in, so on Wednesday it is due (and not
  overdue yet): 100,000;
- `one-on-one-prepare`: `series` managers meet one of their direct reports on Thursday at
  10:00; both sides are told the day before: 2 x 5,000 = 10,000.

People join on 1 January 2025, so every period asked about is one of their own. Everything is
one `INSERT ... SELECT` per table inside the organization (users and their memberships in
one statement), each followed by `ANALYZE`: 100,000 people take seconds. Deterministic:
names, emails and dates follow the person's number; only the slug (and so the emails) carry
a random tag, so two runs never collide. The caller owns the transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

# The sweep runs at this moment (a Wednesday): see the module docstring for what is due.
MOMENT = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
TUESDAY = 1


@dataclass(frozen=True)
class SweepProfile:
    people: int = 100_000
    fan_out: int = 7
    teams: int = 50
    series: int = 5_000

    def expected(self) -> dict[str, int]:
        """The reminders one sweep at `MOMENT` must create, per producer."""
        series = min(self.series, max(self.people - 1, 0))
        return {
            "checkin-due": self.people,
            "goal-not-updated": self.people,
            "one-on-one-prepare": 2 * series,
        }


@dataclass(frozen=True)
class SweepSeeded:
    organization: Any
    profile: SweepProfile


# Users and their memberships in one statement (a data-modifying CTE); the first is the owner.
_PEOPLE_SQL = """
WITH person AS (
    INSERT INTO accounts_user (
        password, is_superuser, first_name, last_name, is_staff, is_active, date_joined,
        email, full_name, language, time_zone
    )
    SELECT '!', false, '', '', false, true, TIMESTAMPTZ '2025-01-01 00:00+00',
        'bench-' || %(tag)s || '-' || n || '@example.invalid', 'Person ' || lpad(n::text, 6, '0'),
        '', ''
    FROM generate_series(0, %(people)s - 1) n
    ORDER BY n
    RETURNING id, full_name
)
INSERT INTO tenancy_membership (
    organization_id, user_id, full_name, role, job_title, status, external_id, created_at,
    updated_at, manager_since
)
SELECT %(org)s, id, full_name,
    CASE WHEN row_number() OVER (ORDER BY id) = 1 THEN 'owner' ELSE 'employee' END,
    'Engineer', 'active', 'hr-' || id, TIMESTAMPTZ '2025-01-01 00:00+00',
    TIMESTAMPTZ '2025-01-01 00:00+00', TIMESTAMPTZ '2025-01-01 00:00+00'
FROM person ORDER BY id
"""

# The manager tree of seed.py (each manager has `fan_out` reports), by array look-ups of the
# people in id order: a self-join on the row number planned badly and took 12 s at 10,000.
_TREE_SQL = """
WITH ranked AS (
    SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM tenancy_membership
    WHERE organization_id = %(org)s
),
people AS (SELECT array_agg(id ORDER BY n) AS ids FROM ranked),
teams AS (
    SELECT array_agg(id ORDER BY id) AS ids FROM tenancy_team WHERE organization_id = %(org)s
)
UPDATE tenancy_membership m
SET manager_id = people.ids[(me.n - 1) / %(fan_out)s + 1],
    team_id = teams.ids[me.n %% %(teams)s + 1]
FROM ranked me, people, teams
WHERE m.id = me.id AND me.n > 0
"""

# Weekly, due on Tuesday, again two days later; configured long ago (no pending change).
_CADENCE_SQL = """
INSERT INTO feedback_checkincadence (
    organization_id, team_id, frequency, due_weekday, questions, remind_again_after_days,
    updated_at, applies_from, follows_organization, previous_frequency
)
VALUES (%(org)s, NULL, 'weekly', %(due_weekday)s,
    '["What went well?", "What''s next?", "Any blockers?"]'::jsonb, 2,
    TIMESTAMPTZ '2025-01-01 00:00+00', NULL, false, '')
"""

_GOALS_SQL = """
INSERT INTO goals_goal (
    organization_id, owner_kind, owner_person_id, title, description, goal_type, unit,
    start_value, target_value, current_value, start_date, due_date, weight, visibility,
    status, progress, last_confidence, last_update_at, proposed_at, proposed_by_id,
    agreed_at, agreed_by_id, reward_text, reward_amount, created_at, updated_at,
    created_by_id, version
)
SELECT m.organization_id, 'person', m.id, 'Goal of ' || m.full_name,
    'Ship the thing that matters, measured each week.', 'quantitative', 'points',
    0, 100, m.id %% 100, DATE '2026-01-01', DATE '2026-12-31', 1, 'team', 'active',
    (m.id %% 100) / 100.0, 'on_track', TIMESTAMPTZ '2026-10-01 08:00+00',
    TIMESTAMPTZ '2026-01-01 08:00+00', m.id, NULL, NULL, '', NULL,
    TIMESTAMPTZ '2026-01-01 08:00+00', TIMESTAMPTZ '2026-10-01 08:00+00', m.id, 1
FROM tenancy_membership m
WHERE m.organization_id = %(org)s
ORDER BY m.id
"""

_SERIES_SQL = """
INSERT INTO feedback_oneononeseries (
    organization_id, manager_id, report_id, cadence, created_by_id, created_at, updated_at
)
SELECT organization_id, manager_id, id, 'weekly', manager_id, TIMESTAMPTZ '2025-01-01 00:00+00',
    TIMESTAMPTZ '2025-01-01 00:00+00'
FROM tenancy_membership WHERE organization_id = %(org)s AND manager_id IS NOT NULL
ORDER BY id LIMIT %(series)s
"""

# Tomorrow (Thursday) at 10:00, not prepared yet.
_MEETINGS_SQL = """
INSERT INTO feedback_meeting (
    organization_id, series_id, scheduled_for, status, shared_notes, notes_version,
    completed_at, created_at, updated_at
)
SELECT organization_id, id, TIMESTAMPTZ '2026-11-26 10:00+00', 'upcoming', '', 1, NULL,
    TIMESTAMPTZ '2025-01-01 00:00+00', TIMESTAMPTZ '2025-01-01 00:00+00'
FROM feedback_oneononeseries WHERE organization_id = %(org)s
"""


def seed_sweep(profile: SweepProfile | None = None) -> SweepSeeded:
    """Build the sweep profile's organization in the current transaction (the caller decides
    whether it is committed)."""
    from django.db import connection

    from perfmgmt.tenancy.context import organization_scope
    from perfmgmt.tenancy.models import Organization, Team

    chosen = profile or SweepProfile()
    tag = uuid.uuid4().hex[:8]
    organization = Organization.objects.create(
        name=f"Bench sweep {chosen.people}", slug=f"bench-sweep-{tag}", time_zone="UTC"
    )
    values: dict[str, int | str] = {
        "org": organization.pk,
        "tag": tag,
        "people": chosen.people,
        "teams": chosen.teams,
        "fan_out": chosen.fan_out,
        "series": chosen.series,
        "due_weekday": TUESDAY,
    }
    # Each statement, then the tables it wrote analyzed: the next one reads them.
    steps = (
        (_PEOPLE_SQL, ("accounts_user", "tenancy_membership")),
        (_TREE_SQL, ("tenancy_membership",)),
        (_CADENCE_SQL, ("feedback_checkincadence",)),
        (_GOALS_SQL, ("goals_goal",)),
        (_SERIES_SQL, ("feedback_oneononeseries",)),
        (_MEETINGS_SQL, ("feedback_meeting",)),
    )
    with organization_scope(organization), connection.cursor() as cursor:
        Team.objects.bulk_create(
            [Team(organization=organization, name=f"Team {n:02d}") for n in range(chosen.teams)]
        )
        cursor.execute("ANALYZE tenancy_team")
        for sql, tables in steps:
            cursor.execute(sql, values)
            for table in tables:
                cursor.execute(f"ANALYZE {table}")
    return SweepSeeded(organization=organization, profile=chosen)


SWEEP_TABLES = (
    "tenancy_membership",
    "goals_goal",
    "feedback_checkincadence",
    "feedback_oneononeseries",
    "feedback_meeting",
)


def sweep_counts(seeded: SweepSeeded) -> dict[str, int]:
    """How many rows of each kind the organization has."""
    from django.db import connection

    result = {}
    with connection.cursor() as cursor:
        for table in SWEEP_TABLES:
            cursor.execute(
                f"SELECT count(*) FROM {table} WHERE organization_id = %s",  # noqa: S608
                [seeded.organization.pk],
            )
            result[table] = cursor.fetchone()[0]
    return result
