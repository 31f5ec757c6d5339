"""The stored reporting line (`Membership.reporting_path`, `reporting_since`).

The database keeps both columns (triggers of migration 0008): every write of a manager
link, by a service, the people sync, SCIM, a factory or the shell, recomputes the moved
branch in the same statement. Reads use them instead of walking the manager links.

`reporting_path_mismatches` recomputes the line by walking the manager links, the way the
reads did before, and names every person whose stored columns differ; the tests compare
after each kind of write, and `manage.py reporting_paths` offers it (and a repair) to an
operator.
"""

from __future__ import annotations

from django.db import connection

# The old walk, written apart from the trigger's: from each person up, the ids met on the
# way and the latest `manager_since` of the links passed. UNION stops at a repeated row.
_WALKED_SQL = """
WITH RECURSIVE up(person_id, id, manager_id, since, depth) AS (
    SELECT m.id, m.id, m.manager_id, m.manager_since, 0 FROM tenancy_membership m
    WHERE m.organization_id = %(organization)s
    UNION
    SELECT up.person_id, boss.id, boss.manager_id, GREATEST(boss.manager_since, up.since),
           up.depth + 1
    FROM up JOIN tenancy_membership boss ON boss.id = up.manager_id
    WHERE boss.organization_id = %(organization)s AND up.depth < 1000
), lines AS (
    SELECT above.person_id,
           array_agg(above.manager_id ORDER BY above.depth DESC) AS path,
           array_agg(above.since ORDER BY above.depth DESC) AS since
    FROM up above WHERE above.manager_id IS NOT NULL
    GROUP BY above.person_id
)
SELECT m.id FROM tenancy_membership m LEFT JOIN lines ON lines.person_id = m.id
WHERE m.organization_id = %(organization)s
  AND (m.reporting_path IS DISTINCT FROM COALESCE(lines.path, '{}')
       OR m.reporting_since IS DISTINCT FROM COALESCE(lines.since, '{}'))
ORDER BY m.id
"""

_REPAIR_SQL = """
SELECT membership_reporting_paths_refresh(
    ARRAY(SELECT id FROM tenancy_membership
          WHERE organization_id = %s AND manager_id IS NULL)
)
"""


def reporting_path_mismatches(*, organization_id: int) -> list[int]:
    """Ids of the organization's people whose stored reporting line differs from the one
    their manager links give (none, unless something bypassed the triggers)."""
    with connection.cursor() as cursor:
        cursor.execute(_WALKED_SQL, {"organization": organization_id})
        return [row[0] for row in cursor.fetchall()]


def reporting_paths_repair(*, organization_id: int) -> int:
    """Recompute the whole organization's stored lines from its top people down; returns
    how many rows changed."""
    with connection.cursor() as cursor:
        cursor.execute(_REPAIR_SQL, [organization_id])
        row = cursor.fetchone()
    return int(row[0]) if row else 0
