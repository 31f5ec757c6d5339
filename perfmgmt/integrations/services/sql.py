"""The people sync's statements: each reads or writes a whole batch at once.

Values travel as a few array parameters (`unnest(%b::text[], ...)`), so neither the number
of statements nor their text grows with the batch. Every statement names the organization.

The statements bind their parameters on the server, in binary (`%b`): Django's default
cursor would quote each 50,000-element array into the statement text, which Python spends
time building and PostgreSQL spends time parsing again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import psycopg
from django.db import IntegrityError, connection, transaction

from perfmgmt.tenancy.models import Role

from .bigints import Bigints, BigintsDumper

if TYPE_CHECKING:
    from .lines import NewLines
    from .people_sync import Person

# First key of the advisory lock that serializes the syncs of one organization.
_LOCK_NAMESPACE = 1_402_014


def _rows(statement: str, params: Iterable[Any] | dict[str, Any]) -> list[tuple[Any, ...]]:
    connection.ensure_connection()
    # A server-binding cursor, still wrapped by Django (query logging, execute wrappers).
    binding: Any = psycopg.Cursor(connection.connection)
    binding.adapters.register_dumper(Bigints, BigintsDumper)
    wrap = connection.make_debug_cursor if connection.queries_logged else connection.make_cursor
    with wrap(binding) as cursor:
        cursor.execute(statement, params if isinstance(params, dict) else list(params))
        return list(cursor.fetchall()) if cursor.description else []


def lock_organization(organization_id: int) -> None:
    _rows(
        "SELECT pg_advisory_xact_lock(%s::integer, %s::integer)",
        [_LOCK_NAMESPACE, organization_id],
    )


_MEMBERS = """
SELECT m.id, m.user_id, m.external_id, m.full_name, m.job_title, m.team_id, m.start_date,
       m.status, m.manager_id, m.role, m.deactivated_at, u.email
  FROM tenancy_membership AS m LEFT JOIN accounts_user AS u ON u.id = m.user_id
 WHERE m.organization_id = %s
"""
_MEMBER_COLUMNS = (
    "id",
    "user_id",
    "external_id",
    "full_name",
    "job_title",
    "team_id",
    "start_date",
    "status",
    "manager_id",
    "role",
    "deactivated_at",
    "email",
)


def members_of(organization_id: int) -> list[dict[str, Any]]:
    """The organization's people, each with their login's address."""
    found = _rows(_MEMBERS, [organization_id])
    return [dict(zip(_MEMBER_COLUMNS, row, strict=True)) for row in found]


def users_by_email(emails: list[str]) -> dict[str, int]:
    if not emails:
        return {}
    found = _rows("SELECT email, id FROM accounts_user WHERE email = ANY(%b::text[])", [emails])
    return {email: user_id for email, user_id in found}


def teams_of(organization_id: int) -> dict[str, int]:
    found = _rows("SELECT name, id FROM tenancy_team WHERE organization_id = %s", [organization_id])
    return {name: team_id for name, team_id in found}


def teams_create(organization_id: int, names: list[str]) -> dict[str, int]:
    _rows(
        """INSERT INTO tenancy_team (organization_id, name, kind, parent_id)
           SELECT %s, name, 'team', NULL FROM unnest(%b::text[]) AS name
           ON CONFLICT (organization_id, name) DO NOTHING""",
        [organization_id, names],
    )
    found = _rows(
        "SELECT name, id FROM tenancy_team WHERE organization_id = %s AND name = ANY(%b::text[])",
        [organization_id, names],
    )
    return {name: team_id for name, team_id in found}


_USERS_INSERT = """
INSERT INTO accounts_user (password, is_superuser, first_name, last_name, is_staff, is_active,
                           date_joined, email, full_name, language, time_zone)
SELECT '!' || replace(gen_random_uuid()::text, '-', ''),
       false, '', '', false, true, now(), v.email, '', '', ''
  FROM unnest(%(emails)b::text[]) AS v(email)"""

# The outer read runs on the statement's snapshot: it sees the logins that were there before
# and not the ones the INSERT makes, and looks up only the addresses the INSERT skipped.
# (ON CONFLICT here, not a plain INSERT in a savepoint as for memberships: a batch's
# addresses often have logins in other organizations already.)
_USERS_CREATED = """
WITH created AS ("""
_USERS_ON_CONFLICT = """
ON CONFLICT (email) DO NOTHING
RETURNING email, id)
SELECT email, id FROM created
UNION ALL
SELECT u.email, u.id
  FROM unnest(%(emails)b::text[]) AS v(email) JOIN accounts_user AS u ON u.email = v.email
 WHERE NOT EXISTS (SELECT FROM created AS c WHERE c.email = v.email)"""


def users_create(emails: list[str]) -> dict[str, int]:
    """The logins of these addresses, created for those that have none: no usable password
    (they sign in through their organization's sign-in or reset it). An address that has one
    (in another organization) is left as it is, and its login is read."""
    # The unusable password is Django's form ("!" and random characters), drawn by PostgreSQL
    # (gen_random_uuid uses its strong random source), not sent as 50,000 parameters.
    # One statement answers for both, those created and those there before.
    # The addresses are sent once (a named parameter), read twice.
    found = _rows(_USERS_CREATED + _USERS_INSERT + _USERS_ON_CONFLICT, {"emails": emails})
    ids = {email: user_id for email, user_id in found}
    if len(ids) < len(emails):  # created by someone else meanwhile: read theirs
        ids.update(users_by_email([email for email in emails if email not in ids]))
    return ids


def _columns(people: list[Person]) -> list[list[Any]]:
    return [
        [p.values["external_id"] for p in people],
        [p.values["full_name"] or "" for p in people],
        [p.values["job_title"] or "" for p in people],
        [p.values["team_id"] for p in people],
        [p.values["start_date"] for p in people],
        [p.values["status"] for p in people],
    ]


def members_reserve_ids(count: int) -> list[int]:
    """`count` new membership ids from the table's sequence, so the plan can write each new
    person's manager and reporting line with the row."""
    found = _rows(
        """SELECT nextval(pg_get_serial_sequence('tenancy_membership', 'id'))
             FROM generate_series(1, %s)""",
        [count],
    )
    return [row[0] for row in found]


# Plain, with the ids reserved: each new row is written with its manager and its stored
# reporting line (tenancy migration 0008), so the database's check of new rows finds them
# right and rewrites none. A line is the line of the person above the batch (`line_top`,
# someone already there, or none) and then the new people between them (`line_from` to
# `line_to` of the last parameter, ids of the batch planned in Python). Every new link
# begins now: the times over the person above the batch are theirs or now, if later, and
# every other entry of `reporting_since` is now().
_MEMBERS_INSERT = """
INSERT INTO tenancy_membership
       (id, organization_id, user_id, external_id, full_name, job_title, team_id,
        start_date, status, role, manager_id, manager_since, created_at, updated_at,
        deactivated_at, reporting_path, reporting_since)
SELECT v.id, %s, v.user_id, v.external_id, v.full_name, v.job_title, NULLIF(v.team_id, 0),
       v.start_date, v.status, %s, NULLIF(v.manager_id, 0), now(), now(), now(),
       CASE WHEN v.status = 'left' THEN now() END,
       line.path, line.above || array_fill(now(), ARRAY[cardinality(line.path) - line.depth])
  FROM unnest(%b::bigint[], %b::bigint[], %b::bigint[], %b::bigint[], %b::bigint[],
              %b::bigint[], %b::text[], %b::text[], %b::text[], %b::bigint[], %b::date[],
              %b::text[])
    AS v(id, manager_id, line_top, line_from, line_to, user_id, external_id, full_name,
         job_title, team_id, start_date, status)
  LEFT JOIN tenancy_membership AS top ON top.id = NULLIF(v.line_top, 0)
 CROSS JOIN LATERAL (
       SELECT CASE WHEN top.id IS NULL THEN '{}'::bigint[]
                   ELSE top.reporting_path || top.id END
              || (%b::bigint[])[v.line_from::integer:v.line_to::integer] AS path,
              CASE WHEN top.id IS NULL THEN '{}'::timestamptz[]
                   ELSE ARRAY(SELECT GREATEST(above.since, now())
                                FROM unnest(top.reporting_since) WITH ORDINALITY
                                  AS above(since, n)
                               ORDER BY above.n) END AS above,
              COALESCE(cardinality(top.reporting_path), 0) AS depth) AS line"""
# ON CONFLICT: a row there by then keeps its id and manager, and is updated only where it
# differs; nobody's manager is written here (the caller sets every line afterwards).
_MEMBERS_UPSERT = """
WITH v AS (
     SELECT *
       FROM unnest(%b::bigint[], %b::text[], %b::text[], %b::text[], %b::bigint[],
                   %b::date[], %b::text[])
         AS v(user_id, external_id, full_name, job_title, team_id, start_date, status))
INSERT INTO tenancy_membership
       (organization_id, user_id, external_id, full_name, job_title, team_id,
        start_date, status, role, manager_id, manager_since, created_at, updated_at,
        deactivated_at)
SELECT %s, v.user_id, v.external_id, v.full_name, v.job_title, v.team_id, v.start_date,
       v.status, %s, NULL, now(), now(), now(), CASE WHEN v.status = 'left' THEN now() END
  FROM v
ON CONFLICT (organization_id, external_id) DO UPDATE
   SET full_name = EXCLUDED.full_name, job_title = EXCLUDED.job_title,
       team_id = EXCLUDED.team_id, start_date = EXCLUDED.start_date, updated_at = now()
 WHERE (tenancy_membership.full_name, tenancy_membership.job_title,
        tenancy_membership.team_id, tenancy_membership.start_date)
       IS DISTINCT FROM
       (EXCLUDED.full_name, EXCLUDED.job_title, EXCLUDED.team_id, EXCLUDED.start_date)
RETURNING external_id, id"""


def members_insert(
    organization_id: int, people: list[Person], ids: list[int], new_lines: NewLines
) -> tuple[dict[str, int], bool]:
    """New people, keyed by external id, and whether they were written with the `ids`
    reserved for them and their managers and lines. If a row is there by then (another
    writer), none is: the ON CONFLICT form writes them without managers, and the caller
    sets every reporting line."""
    if not people:
        return {}, True
    user_ids = [p.user_id for p in people]
    external_ids, full_names, job_titles, team_ids, start_dates, statuses = _columns(people)
    # A plain INSERT in a savepoint: its ON CONFLICT form checks every row first (a third of
    # the statement), and the plan was read under the organization's lock, so another
    # writer taking one of the external ids meanwhile is rare.
    try:
        with transaction.atomic():
            _rows(
                _MEMBERS_INSERT,
                [
                    organization_id,
                    Role.EMPLOYEE,
                    Bigints(ids),
                    Bigints(new_lines.manager_ids),
                    Bigints(new_lines.tops),
                    Bigints(new_lines.starts),
                    Bigints(new_lines.ends),
                    Bigints(user_ids),
                    external_ids,
                    full_names,
                    job_titles,
                    Bigints(team_ids),
                    start_dates,
                    statuses,
                    Bigints(new_lines.lines),
                ],
            )
    except IntegrityError:
        return _members_upsert(organization_id, people, user_ids), False
    return dict(zip(external_ids, ids, strict=True)), True


def _members_upsert(
    organization_id: int, people: list[Person], user_ids: list[int | None]
) -> dict[str, int]:
    found = _rows(_MEMBERS_UPSERT, [user_ids, *_columns(people), organization_id, Role.EMPLOYEE])
    ids = {external_id: member_id for external_id, member_id in found}
    missing = [p.values["external_id"] for p in people if p.values["external_id"] not in ids]
    if missing:  # untouched by DO UPDATE ... WHERE: read their ids
        ids.update(
            _rows(
                """SELECT external_id, id FROM tenancy_membership
                    WHERE organization_id = %s AND external_id = ANY(%b::text[])""",
                [organization_id, missing],
            )
        )
    return ids


def members_update(organization_id: int, people: list[Person]) -> None:
    if not people:
        return
    _rows(
        """UPDATE tenancy_membership AS m
               SET external_id = v.external_id, full_name = v.full_name,
                   job_title = v.job_title, team_id = v.team_id,
                   start_date = v.start_date, status = v.status, updated_at = now(),
                   deactivated_at = CASE WHEN v.status = 'left'
                                         THEN COALESCE(m.deactivated_at, now()) END
              FROM unnest(%b::bigint[], %b::text[], %b::text[], %b::text[], %b::bigint[],
                          %b::date[], %b::text[])
                AS v(id, external_id, full_name, job_title, team_id, start_date, status)
             WHERE m.id = v.id AND m.organization_id = %s
               AND (m.external_id, m.full_name, m.job_title, m.team_id, m.start_date, m.status)
                   IS DISTINCT FROM
                   (v.external_id, v.full_name, v.job_title, v.team_id, v.start_date,
                    v.status)""",
        [[p.id for p in people], *_columns(people), organization_id],
    )


def managers_set(organization_id: int, lines: list[tuple[int, int | None]]) -> list[int]:
    """The second pass: reporting lines, once everyone in the batch has an id. A new line
    starts `manager_since` (what the manager may read depends on it). Returns the ids of
    the people whose manager changed."""
    if not lines:
        return []
    rows = _rows(
        """UPDATE tenancy_membership AS m
              SET manager_id = v.manager_id, manager_since = now(), updated_at = now()
             FROM unnest(%b::bigint[], %b::bigint[]) AS v(id, manager_id)
            WHERE m.id = v.id AND m.organization_id = %s
              AND m.manager_id IS DISTINCT FROM v.manager_id
        RETURNING m.id""",
        [[member for member, _ in lines], [manager for _, manager in lines], organization_id],
    )
    return [row[0] for row in rows]
