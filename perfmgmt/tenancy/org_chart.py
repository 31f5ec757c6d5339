"""Reads of the org chart: reporting lines a page (or a branch) at a time.

Everyone in the organization may read the chart; people who left are not on it (their
reports move up in the services). A page shows one page of people at the top and the first
of their reports; a branch is opened on demand, one page of reports at a time
(`perfmgmt.web.trees`). So the chart of 10,000 people is as small as the chart of 50, and
every statement is the same whatever the size of the organization.

The top of the chart is everyone without a manager who is still here. A manager cycle in
the data (the services refuse one, an import could leave one behind) is not reachable from
the top, but its people are found by the search and the chart opens from any of them;
since each opening reads one level, a cycle cannot make a page loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404

from perfmgmt.ids import object_id
from perfmgmt.web.trees import SEARCH_LIMIT, Branch, Level, children_level, count_of, tree_level

from .models import Membership, MembershipStatus

ORDER = ("full_name", "pk")
PARENT = "manager_id"
MAX_CHAIN = 50

# The managers above a person, nearest first, at most MAX_CHAIN of them (depth bounds the
# walk even through a corrupted cycle).
_CHAIN_SQL = """
WITH RECURSIVE chain(id, manager_id, depth) AS (
    SELECT id, manager_id, 0 FROM tenancy_membership WHERE id = %s AND organization_id = %s
    UNION ALL
    SELECT m.id, m.manager_id, c.depth + 1 FROM tenancy_membership m
    JOIN chain c ON m.id = c.manager_id WHERE m.organization_id = %s AND c.depth < %s
)
SELECT id FROM chain WHERE depth > 0
"""


def _still_here() -> Q:
    return ~Q(status=MembershipStatus.LEFT)


def chart_people() -> QuerySet[Membership]:
    """The people the chart shows."""
    return Membership.objects.filter(_still_here()).select_related("user")


def _report_count() -> Any:
    """How many reports the chart shows under each person."""
    return count_of(Membership.objects.filter(_still_here(), manager=OuterRef("pk")))


def _top() -> Q:
    return Q(manager__isnull=True) | Q(manager__status=MembershipStatus.LEFT)


def org_chart(*, start: int = 0, nested: bool = True) -> Level[Membership]:
    """A page of the people at the top, with the first of their reports (`nested`)."""
    return tree_level(
        nodes=chart_people(),
        child_count=_report_count(),
        top=_top(),
        parent_field=PARENT,
        order=ORDER,
        start=start,
        nested=nested,
    )


def chart_person_get(*, member_id: object) -> Membership:
    """A person on the chart, or 404: someone who left, another organization's id and a
    missing one look the same, on the page and on every branch endpoint."""
    found = (
        chart_people().filter(pk=object_id(member_id)).annotate(child_count=_report_count()).first()
    )
    if found is None:
        raise Http404("No such person.")
    return found


def chart_reports(*, person: Membership, start: int = 0) -> Level[Membership]:
    """One page of a person's reports, collapsed (what opening their branch loads)."""
    return children_level(
        nodes=chart_people(),
        child_count=_report_count(),
        parent=person,
        parent_field=PARENT,
        order=ORDER,
        start=start,
    )


def chart_from(*, person: Membership, start: int = 0) -> Level[Membership]:
    """The chart opened at one person: them, and a page of their reports."""
    reports = chart_reports(person=person, start=start)
    return Level([Branch(person, getattr(person, "child_count", 0), reports)], 1, 0, False)


def chart_chain(*, person: Membership) -> list[Membership]:
    """The managers above a person who are still here, from the top down (a bounded
    number, for the way back up the chart)."""
    org_id = person.organization_id
    above = RawSQL(_CHAIN_SQL, [person.pk, org_id, org_id, MAX_CHAIN])  # noqa: S611 (constant SQL)
    people = {m.pk: m for m in Membership.objects.filter(_still_here(), pk__in=above)}
    chain: list[Membership] = []
    manager_id = person.manager_id
    while manager_id is not None and manager_id not in {m.pk for m in chain}:
        manager = people.get(manager_id)
        if manager is None:
            break
        chain.append(manager)
        manager_id = manager.manager_id
    return list(reversed(chain))


@dataclass
class ChartSearch:
    query: str
    people: list[Membership]
    more: bool


def chart_search(*, query: str, limit: int = SEARCH_LIMIT) -> ChartSearch:
    """People on the chart whose name, job title or team matches, at most `limit` (and
    whether there are more: then the reader types more of the name)."""
    query = query.strip()[:100]
    if not query:
        return ChartSearch(query, [], False)
    found: list[Membership] = list(
        chart_people()
        .annotate(child_count=_report_count())
        .filter(
            Q(full_name__icontains=query)
            | Q(job_title__icontains=query)
            | Q(team__name__icontains=query)
        )
        .select_related("manager__user", "team")
        .order_by(*ORDER)[: limit + 1]
    )
    return ChartSearch(query, found[:limit], len(found) > limit)
