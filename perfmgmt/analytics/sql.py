"""The two statements most metrics are: monthly coverage and monthly counts.

Both are one aggregate statement over the months of the period (`generate_series`, two
parameters however many months), the scope's people (a subquery built by the ORM, so the
tenant scope and the reader's reach are the same predicates the rest of the product uses)
and the metric's events (querysets of the app's own models, as `(person, moment)` rows). A
month is the month of the moment's local date in the organization's time zone (`date_trunc`
of the moment `AT TIME ZONE` the zone). Nothing here loops over rows or lists ids.

A person counts in a month when they were a member at some time in it: from their first day
(the later of when their record was made and their start date, on the organization's clock)
to the day they left, invitees never.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Case, DateField, F, Q, QuerySet, When
from django.db.models.functions import Greatest, TruncDate

from perfmgmt.tenancy.models import Membership, MembershipStatus

from .scope import Period, Scope

_MONTHS = """months AS (
    SELECT generate_series(%s::date, %s::date, interval '1 month')::date AS month
)"""

# A person is counted in the months from their first day's to their last day's.
_MEMBER_THAT_MONTH = """p.first_day < (m.month + interval '1 month')::date
    AND (p.last_day IS NULL OR p.last_day >= m.month)"""


@dataclass(frozen=True)
class MonthFigures:
    month: date
    people: int  # in scope and members that month
    counts: tuple[int, ...]  # per activity or event kind, in the order given


def _sql(queryset: QuerySet[Any]) -> tuple[str, list[Any]]:
    sql, params = queryset.order_by().query.sql_with_params()
    return sql, list(params)


def people(scope: Scope, extra: Q | None = None) -> QuerySet[Any]:
    """The scope's people with the first and last day they count in: `(id, first_day,
    last_day)` rows."""
    zone = scope.zone
    left = Case(
        When(status=MembershipStatus.LEFT, then=TruncDate("deactivated_at", tzinfo=zone)),
        default=None,
        output_field=DateField(),
    )
    rows = Membership.objects.exclude(status=MembershipStatus.INVITED).filter(scope.people_q(""))
    if extra is not None:
        rows = rows.filter(extra)
    return rows.annotate(
        first_day=Greatest(TruncDate("created_at", tzinfo=zone), F("start_date")),
        last_day=left,
    ).values("id", "first_day", "last_day")


def _events(events: Sequence[QuerySet[Any]], period: Period) -> tuple[str, list[Any]]:
    """Events (querysets of two values: person id, moment) of the period with their local
    month: `(person_id, month)` rows."""
    if not events:
        raise ValueError("A metric counts at least one kind of event.")
    parts, params = [], []
    for queryset in events:
        sql, part_params = _sql(queryset)
        parts.append(f"({sql})")
        params.extend(part_params)
    union = " UNION ALL ".join(parts)
    sql = f"""SELECT e.person_id, date_trunc('month', e.at AT TIME ZONE %s)::date AS month
        FROM ({union}) AS e(person_id, at) WHERE e.at >= %s AND e.at < %s"""  # noqa: S608 (Django's SQL)
    return sql, [str(period.zone), *params, period.start, period.end]


def _run(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def coverage(
    *,
    scope: Scope,
    period: Period,
    activities: Sequence[QuerySet[Any]],
    people_filter: Q | None = None,
) -> list[MonthFigures]:
    """Per month: the scope's members that month (narrowed by `people_filter`) and how
    many of them had at least one of the `activities` that month. One statement."""
    people_sql, people_params = _sql(people(scope, people_filter))
    events_sql, events_params = _events(activities, period)
    sql = f"""WITH {_MONTHS},
    people AS ({people_sql}),
    active AS (SELECT DISTINCT person_id, month FROM ({events_sql}) AS e)
    SELECT m.month, count(p.id), count(a.person_id)
    FROM months m
    LEFT JOIN people p ON {_MEMBER_THAT_MONTH}
    LEFT JOIN active a ON a.person_id = p.id AND a.month = m.month
    GROUP BY m.month ORDER BY m.month"""  # noqa: S608 (Django's SQL and constants only)
    params = [period.first, period.last, *people_params, *events_params]
    return [MonthFigures(row[0], row[1], (row[2],)) for row in _run(sql, params)]


def counts(*, scope: Scope, period: Period, events: Sequence[QuerySet[Any]]) -> list[MonthFigures]:
    """Per month: the scope's members that month, and for each of `events` how many of
    its rows whose person is in the scope fall in that month. One statement."""
    people_sql, people_params = _sql(people(scope))
    ctes, columns, joins, params = [], [], [], []
    for number, queryset in enumerate(events):
        events_sql, events_params = _events([queryset], period)
        ctes.append(
            f"""e{number} AS (SELECT month, count(*) AS n FROM ({events_sql}) AS e
            WHERE e.person_id IN (SELECT id FROM people) GROUP BY month)"""  # noqa: S608
        )
        columns.append(f"coalesce(e{number}.n, 0)")
        joins.append(f"LEFT JOIN e{number} ON e{number}.month = m.month")
        params.extend(events_params)
    sql = f"""WITH {_MONTHS},
    people AS ({people_sql}),
    population AS (SELECT m.month, count(p.id) AS n FROM months m
        LEFT JOIN people p ON {_MEMBER_THAT_MONTH} GROUP BY m.month)
    {"".join(", " + cte for cte in ctes)}
    SELECT m.month, population.n{"".join(", " + column for column in columns)}
    FROM months m JOIN population ON population.month = m.month {" ".join(joins)}
    ORDER BY m.month"""  # noqa: S608 (Django's SQL and constants only)
    rows = _run(sql, [period.first, period.last, *people_params, *params])
    return [MonthFigures(row[0], row[1], tuple(row[2:])) for row in rows]
