"""Since when a reporting line lets a manager read what is written about a person.

A manager reads manager content about someone below them (feedback their managers may
read, coaching records by another author) only if it was written at or after every link
of the line between them began: the person's own `manager_since`, and that of each person
between them and the reader. So a new manager, direct or above, sees only what was written
while the line that gives them access existed.

Each read is one SQL statement over the stored line, whatever the size of the
organization: one row for one reader and person (`line_since`) and for everyone above a
person (`lines_over`), and for a list one predicate on the joined person's row
(`written_below`).
"""

from __future__ import annotations

from datetime import datetime

from django.db import connection
from django.db.models import Q

from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.selectors import LineBegan, below_q

# The stored line (`Membership.reporting_path` and `reporting_since`, kept by the database:
# perfmgmt/tenancy/reporting_paths.py) holds, for everyone above a person, when the
# last-begun link on the way up began: the reads below take it from the person's row.
_LINE_UP_SQL = """
SELECT reporting_since[array_position(reporting_path, %s::bigint)] FROM tenancy_membership
WHERE id = %s AND organization_id = %s
"""

# Everyone above the person with when their line over the person began.
_LINES_UP_SQL = """
SELECT unnest(reporting_path), unnest(reporting_since) FROM tenancy_membership
WHERE id = %s AND organization_id = %s
"""


def line_since(*, reader: Membership, person: Membership) -> datetime | None:
    """When the reader's reporting line over the person began; None if they are not above
    the person."""
    if reader.pk == person.pk:
        return None
    org_id = person.organization_id
    with connection.cursor() as cursor:
        cursor.execute(_LINE_UP_SQL, [reader.pk, person.pk, org_id])
        row = cursor.fetchone()
    return row[0] if row else None


def lines_over(*, person: Membership) -> dict[int, datetime]:
    """For everyone above the person: when their reporting line over the person began."""
    with connection.cursor() as cursor:
        cursor.execute(_LINES_UP_SQL, [person.pk, person.organization_id])
        return {manager_id: since for manager_id, since in cursor.fetchall()}


def reads_through_line(*, reader: Membership, person: Membership, written_at: datetime) -> bool:
    since = line_since(reader=reader, person=person)
    return since is not None and written_at >= since


def written_below(*, reader: Membership, person_field: str, written_field: str = "created_at") -> Q:
    """Rows about someone below the reader (through `person_field`), written since the line
    between them began: one predicate on the person's stored line, no subquery."""
    return below_q(manager=reader, person_field=person_field) & Q(
        **{f"{written_field}__gte": LineBegan(manager=reader, person_field=person_field)}
    )
