"""Since when a reporting line lets a manager read what is written about a person.

A manager reads manager content about someone below them (feedback their managers may
read, coaching records by another author) only if it was written at or after every link
of the line between them began: the person's own `manager_since`, and that of each person
between them and the reader. So a new manager, direct or above, sees only what was written
while the line that gives them access existed.

Each read is one SQL statement, whatever the size of the organization: one for one reader
and person (`line_since`), one for everyone above a person (`lines_over`), one as a
subquery for a list (`written_below`).
"""

from __future__ import annotations

from datetime import datetime

from django.db import connection
from django.db.models import Field, Model
from django.db.models.expressions import RawSQL

from perfmgmt.tenancy.models import Membership

# Each row is someone above the person, reached through the link below it; `since` is
# when the last-begun link on the way up began. UNION stops at a repeated row, and since
# only grows, a corrupted cycle ends too.
_LINE_UP_SQL = """
WITH RECURSIVE up(id, manager_id, since) AS (
    SELECT id, manager_id, manager_since FROM tenancy_membership
    WHERE id = %s AND organization_id = %s
    UNION
    SELECT m.id, m.manager_id, GREATEST(m.manager_since, u.since) FROM tenancy_membership m
    JOIN up u ON m.id = u.manager_id WHERE m.organization_id = %s
)
SELECT MIN(since) FROM up WHERE manager_id = %s
"""

# Everyone above the person with when their line over the person began (the same walk).
_LINES_UP_SQL = """
WITH RECURSIVE up(id, manager_id, since) AS (
    SELECT id, manager_id, manager_since FROM tenancy_membership
    WHERE id = %s AND organization_id = %s
    UNION
    SELECT m.id, m.manager_id, GREATEST(m.manager_since, u.since) FROM tenancy_membership m
    JOIN up u ON m.id = u.manager_id WHERE m.organization_id = %s
)
SELECT manager_id, MIN(since) FROM up WHERE manager_id IS NOT NULL GROUP BY manager_id
"""

# Everyone below the reader with when their line to the reader began.
_LINES_DOWN_SQL = """
WITH RECURSIVE below(id, since) AS (
    SELECT id, manager_since FROM tenancy_membership
    WHERE manager_id = %s AND organization_id = %s
    UNION
    SELECT m.id, GREATEST(m.manager_since, b.since) FROM tenancy_membership m
    JOIN below b ON m.manager_id = b.id WHERE m.organization_id = %s
)
SELECT written.id FROM {table} written JOIN below ON written.{person} = below.id
WHERE written.organization_id = %s AND below.id <> %s AND written.{written_at} >= below.since
"""


def line_since(*, reader: Membership, person: Membership) -> datetime | None:
    """When the reader's reporting line over the person began; None if they are not above
    the person."""
    if reader.pk == person.pk:
        return None
    org_id = person.organization_id
    with connection.cursor() as cursor:
        cursor.execute(_LINE_UP_SQL, [person.pk, org_id, org_id, reader.pk])
        row = cursor.fetchone()
    return row[0] if row else None


def lines_over(*, person: Membership) -> dict[int, datetime]:
    """For everyone above the person: when their reporting line over the person began."""
    org_id = person.organization_id
    with connection.cursor() as cursor:
        cursor.execute(_LINES_UP_SQL, [person.pk, org_id, org_id])
        return {manager_id: since for manager_id, since in cursor.fetchall()}


def reads_through_line(*, reader: Membership, person: Membership, written_at: datetime) -> bool:
    since = line_since(reader=reader, person=person)
    return since is not None and written_at >= since


def written_below(
    *, reader: Membership, model: type[Model], person_field: str, written_field: str = "created_at"
) -> RawSQL:
    """The ids of `model` rows about someone below the reader, written since the line
    between them began: use as `pk__in=` (a subquery, not a list of ids)."""
    sql = _LINES_DOWN_SQL.format(
        table=connection.ops.quote_name(model._meta.db_table),
        person=_column(model, person_field),
        written_at=_column(model, written_field),
    )
    org_id = reader.organization_id
    # Names come from the model's metadata, every value is a parameter.
    return RawSQL(sql, [reader.pk, org_id, org_id, org_id, reader.pk])  # noqa: S611


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, Field)
    assert field.column
    return connection.ops.quote_name(field.column)
