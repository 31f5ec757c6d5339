"""Seeding for the benchmarks: one organization of a given profile, fast and deterministic.

    python -m bench.seed small                  # builds it, prints its slug, keeps it
    python -m bench.seed large --rollback       # builds it, prints the counts, keeps nothing
    python -m bench.seed sweep --rollback       # 100,000 people with a sweep due (seed_sweep.py)

Profiles (issue 13): `small` 50 people, `large` 10,000 people, in a six-level manager tree
(each manager has seven reports), with per person five goals (one in five with two
milestones), two updates a goal, two check-ins (each linked to two of the person's goals),
two pieces of feedback (from their manager and from a colleague), and 1:1 series between
managers and their direct reports (2,000 at 10,000 people) with twenty meetings each.

People are created with `bulk_create` (their logins too); everything else with one
`INSERT ... SELECT` per table inside the organization, so 10,000 people take seconds, not
minutes. The caller owns the transaction: the benchmarks seed inside one and roll it back.
"""

from __future__ import annotations

import argparse
import os
import uuid
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Profile:
    people: int
    fan_out: int = 7  # 1 + 7 + 49 + 343 + 2,401 + 7,203 people: six levels at 10,000
    teams: int = 50
    goals_per_person: int = 5
    updates_per_goal: int = 2
    checkins_per_person: int = 2
    feedback_per_person: int = 2
    series: int = 2_000
    meetings_per_series: int = 20


PROFILES = {
    "tiny": Profile(people=30, teams=3, series=10, meetings_per_series=3),
    "small": Profile(people=50, teams=5, series=49),
    "large": Profile(people=10_000),
}


@dataclass(frozen=True)
class Seeded:
    organization: Any
    owner: Any  # the top of the tree, an owner (HR rights)
    vp: Any  # one of the owner's direct reports: a manager with a sixth of the organization
    credential: Any  # an API key of the owner with goals, members and 1:1s read scopes
    key: str  # its secret, for the Authorization header
    profile: Profile


_TREE_SQL = """
WITH ranked AS (
    SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM tenancy_membership
    WHERE organization_id = %(org)s
)
UPDATE tenancy_membership m
SET manager_id = boss.id, manager_since = TIMESTAMPTZ '2025-01-01 00:00+00',
    team_id = (SELECT t.id FROM tenancy_team t WHERE t.organization_id = %(org)s
               ORDER BY t.id OFFSET (me.n %% %(teams)s) LIMIT 1)
FROM ranked me JOIN ranked boss ON boss.n = (me.n - 1) / %(fan_out)s
WHERE m.id = me.id AND me.n > 0
"""

_GOALS_SQL = """
INSERT INTO goals_goal (
    organization_id, owner_kind, owner_person_id, title, description, goal_type, unit,
    start_value, target_value, current_value, start_date, due_date, weight, visibility,
    status, progress, last_confidence, last_update_at, proposed_at, proposed_by_id,
    agreed_at, agreed_by_id, reward_text, reward_amount, created_at, updated_at,
    created_by_id, version
)
SELECT m.organization_id, 'person', m.id, 'Goal ' || g || ' of ' || m.full_name,
    'Ship the thing that matters, measured each week.', 'quantitative', 'points',
    0, 100, (m.id * 7 + g * 13) %% 100, DATE '2026-01-01' + g, DATE '2026-12-01' + g, 1,
    CASE WHEN g = 1 THEN 'everyone' WHEN g %% 2 = 0 THEN 'team' ELSE 'private' END,
    'active', ((m.id * 7 + g * 13) %% 100) / 100.0, 'on_track', now(), now(), m.id,
    CASE WHEN g %% 2 = 0 THEN now() END, CASE WHEN g %% 2 = 0 THEN m.manager_id END,
    CASE WHEN g = 3 THEN 'Two days of extra leave' ELSE '' END,
    CASE WHEN g = 3 THEN 500 END, now(), now(), m.id, 1
FROM tenancy_membership m CROSS JOIN generate_series(1, %(goals)s) g
WHERE m.organization_id = %(org)s
ORDER BY m.id, g
"""

_MILESTONES_SQL = """
INSERT INTO goals_milestone (organization_id, goal_id, title, done, "order", done_at)
SELECT g.organization_id, g.id, 'Step ' || n, n = 1, n, CASE WHEN n = 1 THEN now() END
FROM goals_goal g CROSS JOIN generate_series(1, 2) n
WHERE g.organization_id = %(org)s AND g.id %% 5 = 0
"""

_UPDATES_SQL = """
INSERT INTO goals_goalupdate (
    organization_id, goal_id, author_id, value, milestones, confidence, comment, progress,
    created_at
)
SELECT g.organization_id, g.id, g.owner_person_id, g.current_value, '[]'::jsonb, 'on_track',
    'Update ' || n, g.progress, now() - make_interval(days => n)
FROM goals_goal g CROSS JOIN generate_series(1, %(updates)s) n
WHERE g.organization_id = %(org)s
"""

_CHECKINS_SQL = """
INSERT INTO feedback_checkin (
    organization_id, person_id, period_start, period_end, due_on, questions, answers, score,
    status, submitted_at, manager_reply, reviewed_by_id, reviewed_at, created_at, updated_at
)
SELECT m.organization_id, m.id, DATE '2026-01-05' + 7 * w, DATE '2026-01-11' + 7 * w,
    DATE '2026-01-09' + 7 * w,
    '["What went well?", "What''s next?", "Any blockers?"]'::jsonb,
    '["Shipped the importer", "The exporter", ""]'::jsonb, 1 + (m.id + w) %% 5,
    CASE WHEN w = 1 THEN 'reviewed' ELSE 'submitted' END, now(),
    CASE WHEN w = 1 THEN 'Good week' ELSE '' END,
    CASE WHEN w = 1 THEN m.manager_id END, CASE WHEN w = 1 THEN now() END, now(), now()
FROM tenancy_membership m CROSS JOIN generate_series(1, %(checkins)s) w
WHERE m.organization_id = %(org)s
"""

# Each check-in links the person's first two goals (a hash join, whatever the statistics).
_CHECKIN_GOALS_SQL = """
INSERT INTO feedback_checkingoal (organization_id, checkin_id, goal_id)
SELECT c.organization_id, c.id, g.id
FROM feedback_checkin c
JOIN (
    SELECT id, owner_person_id, row_number() OVER (PARTITION BY owner_person_id ORDER BY id) n
    FROM goals_goal WHERE organization_id = %(org)s
) g ON g.owner_person_id = c.person_id AND g.n <= 2
WHERE c.organization_id = %(org)s
"""

# From the manager (visible to the recipient and their managers), then from the next
# colleague (a manager note, or private to the recipient), alternately.
_FEEDBACK_SQL = """
INSERT INTO feedback_feedback (
    organization_id, giver_id, recipient_id, situation, behaviour, impact, visibility,
    request_id, created_at, updated_at
)
SELECT m.organization_id, CASE WHEN n %% 2 = 1 THEN m.manager_id ELSE colleague.id END, m.id,
    'In the planning meeting', 'you summarised the options', 'we decided in ten minutes',
    CASE WHEN n %% 2 = 1 THEN 'recipient_and_manager'
         WHEN m.id %% 2 = 0 THEN 'manager_only' ELSE 'private' END,
    NULL, now() + make_interval(secs => n), now()
FROM tenancy_membership m
JOIN (
    SELECT id, lag(id) OVER (ORDER BY id) AS before FROM tenancy_membership
    WHERE organization_id = %(org)s
) colleague ON colleague.before = m.id
CROSS JOIN generate_series(1, %(feedback)s) n
WHERE m.organization_id = %(org)s AND m.manager_id IS NOT NULL
"""

_SERIES_SQL = """
INSERT INTO feedback_oneononeseries (
    organization_id, manager_id, report_id, cadence, created_by_id, created_at, updated_at
)
SELECT organization_id, manager_id, id, 'weekly', manager_id, now(), now()
FROM tenancy_membership WHERE organization_id = %(org)s AND manager_id IS NOT NULL
ORDER BY id LIMIT %(series)s
"""

_MEETINGS_SQL = """
INSERT INTO feedback_meeting (
    organization_id, series_id, scheduled_for, status, shared_notes, notes_version,
    completed_at, created_at, updated_at
)
SELECT s.organization_id, s.id, TIMESTAMPTZ '2026-01-05 09:00+00' + make_interval(weeks => w),
    CASE WHEN w < %(meetings)s / 2 THEN 'done' ELSE 'upcoming' END,
    CASE WHEN w < %(meetings)s / 2 THEN 'We talked about the roadmap.' ELSE '' END, 1,
    CASE WHEN w < %(meetings)s / 2
         THEN TIMESTAMPTZ '2026-01-05 10:00+00' + make_interval(weeks => w) END,
    now(), now()
FROM feedback_oneononeseries s CROSS JOIN generate_series(0, %(meetings)s - 1) w
WHERE s.organization_id = %(org)s
"""

_STEPS = (
    (_TREE_SQL, "tenancy_membership"),
    (_GOALS_SQL, "goals_goal"),
    (_MILESTONES_SQL, "goals_milestone"),
    (_UPDATES_SQL, "goals_goalupdate"),
    (_CHECKINS_SQL, "feedback_checkin"),
    (_CHECKIN_GOALS_SQL, "feedback_checkingoal"),
    (_FEEDBACK_SQL, "feedback_feedback"),
    (_SERIES_SQL, "feedback_oneononeseries"),
    (_MEETINGS_SQL, "feedback_meeting"),
)

_PEOPLE_TABLES = ("accounts_user", "tenancy_team")

_ANALYZED = (
    "tenancy_membership",
    "goals_goal",
    "goals_milestone",
    "goals_goalupdate",
    "feedback_checkin",
    "feedback_checkingoal",
    "feedback_feedback",
    "feedback_oneononeseries",
    "feedback_meeting",
)


def _people(organization: Any, profile: Profile, tag: str) -> list[Any]:
    from perfmgmt.accounts.models import User
    from perfmgmt.tenancy.models import Membership, Team

    Team.objects.bulk_create(
        [Team(organization=organization, name=f"Team {n:02d}") for n in range(profile.teams)]
    )
    users = User.objects.bulk_create(
        [
            User(email=f"bench-{tag}-{n}@example.invalid", full_name=f"Person {n:05d}")
            for n in range(profile.people)
        ],
        batch_size=2000,
    )
    return Membership.objects.bulk_create(
        [
            Membership(
                organization=organization,
                user=user,
                # One in ten has no name of their own: they are shown by their email.
                full_name="" if n % 10 == 9 else user.full_name,
                job_title="Engineer",
                external_id=f"hr-{n:05d}",
            )
            for n, user in enumerate(users)
        ],
        batch_size=2000,
    )


def seed(profile: Profile | str = "small") -> Seeded:
    """Build one organization of `profile` in the current transaction; nothing is committed
    here (the caller decides)."""
    from django.db import connection

    from perfmgmt.api.models import Scope
    from perfmgmt.api.services import credential_create
    from perfmgmt.tenancy.context import organization_scope
    from perfmgmt.tenancy.models import Membership, Organization, Role

    chosen = PROFILES[profile] if isinstance(profile, str) else profile
    tag = uuid.uuid4().hex[:8]
    organization = Organization.objects.create(name=f"Bench {chosen.people}", slug=f"bench-{tag}")
    with organization_scope(organization):
        members = _people(organization, chosen, tag)
        owner = members[0]
        Membership.objects.filter(pk=owner.pk).update(role=Role.OWNER)
        values = {
            "org": organization.pk,
            "teams": chosen.teams,
            "fan_out": chosen.fan_out,
            "goals": chosen.goals_per_person,
            "updates": chosen.updates_per_goal,
            "checkins": chosen.checkins_per_person,
            "feedback": chosen.feedback_per_person,
            "series": chosen.series,
            "meetings": chosen.meetings_per_series,
        }
        with connection.cursor() as cursor:
            # The logins and teams came in with `bulk_create`: planned with their rows too
            # (else a table of 10,000 logins is planned as a few pages).
            for table in _PEOPLE_TABLES:
                cursor.execute(f"ANALYZE {table}")
            for sql, table in _STEPS:
                cursor.execute(sql, values)
                # Each statement reads what the ones before wrote: plan it with their rows.
                cursor.execute(f"ANALYZE {table}")
        owner = Membership.objects.select_related("organization", "user").get(pk=owner.pk)
        vp = Membership.objects.select_related("organization", "user").get(pk=members[1].pk)
        credential, key = credential_create(
            actor=owner,
            name="Bench",
            scopes=[Scope.GOALS_READ, Scope.MEMBERS_READ, Scope.ONE_ON_ONES_READ],
        )
    return Seeded(
        organization=organization,
        owner=owner,
        vp=vp,
        credential=credential,
        key=key,
        profile=chosen,
    )


def counts(seeded: Seeded) -> dict[str, int]:
    """How many rows of each kind the organization has."""
    from django.db import connection

    with connection.cursor() as cursor:
        result = {}
        for table in _ANALYZED:
            cursor.execute(
                f"SELECT count(*) FROM {table} WHERE organization_id = %s",  # noqa: S608
                [seeded.organization.pk],
            )
            result[table] = cursor.fetchone()[0]
    return result


class _RollBack(Exception):
    pass


def _seed_chosen(profile: str) -> Any:
    if profile == "sweep":
        from bench.seed_sweep import seed_sweep

        return seed_sweep()
    return seed(profile)


def _counts_chosen(seeded: Any) -> dict[str, int]:
    if isinstance(seeded, Seeded):
        return counts(seeded)
    from bench.seed_sweep import sweep_counts

    return sweep_counts(seeded)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", choices=[*sorted(PROFILES), "sweep"], help="how big")
    parser.add_argument("--rollback", action="store_true", help="keep nothing")
    arguments = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfmgmt.settings.dev")
    import time

    import django

    django.setup()
    from django.db import transaction

    started = time.perf_counter()
    try:
        with transaction.atomic():
            seeded = _seed_chosen(arguments.profile)
            print(f"Seeded {seeded.organization.slug} in {time.perf_counter() - started:.1f} s")
            for table, number in _counts_chosen(seeded).items():
                print(f"  {table:<26} {number:>8}")
            if arguments.rollback:
                raise _RollBack
    except _RollBack:
        print("Rolled back.")


if __name__ == "__main__":
    main()
