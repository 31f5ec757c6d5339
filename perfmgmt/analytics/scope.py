"""Whose figures (a `Scope`) and which months (a `Period`) the analytics page reads.

A scope is the reader's reach in SQL: HR admins and owners the organization, a manager the
people below them in the stored reporting line; either narrowed to a team and every team
below it. A metric filters its rows with `scope.people_q(person_field)`, one predicate on
the person's row that stays the same size whatever the size of the line or the team.

A period is whole months on the organization's clock, the current one last: the month a
thing happened is the month of its local date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db.models import Q

from perfmgmt.tenancy.models import Membership, Organization, Team
from perfmgmt.tenancy.selectors import below_q, team_and_below

MONTH_CHOICES = (3, 6, 12, 24)
DEFAULT_MONTHS = 12


def add_months(month: date, count: int) -> date:
    """The first day of the month `count` months after `month` (negative: before)."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    first: date  # the first day of the first month
    months: int
    zone: ZoneInfo

    @classmethod
    def ending(cls, *, today: date, months: int, zone: ZoneInfo) -> Period:
        """`months` whole months, the one holding `today` last."""
        return cls(add_months(today.replace(day=1), 1 - months), months, zone)

    @property
    def month_starts(self) -> list[date]:
        return [add_months(self.first, number) for number in range(self.months)]

    @property
    def last(self) -> date:
        """The first day of the last month."""
        return add_months(self.first, self.months - 1)

    @property
    def end_day(self) -> date:
        """The first day after the period."""
        return add_months(self.first, self.months)

    @property
    def start(self) -> datetime:
        """The period's first instant (aware)."""
        return datetime.combine(self.first, time.min, tzinfo=self.zone)

    @property
    def end(self) -> datetime:
        """The first instant after the period (aware)."""
        return datetime.combine(self.end_day, time.min, tzinfo=self.zone)


@dataclass(frozen=True)
class Scope:
    organization: Organization
    reader: Membership
    whole_organization: bool  # HR admins and owners; a manager reads their line
    team: Team | None = None

    @property
    def zone(self) -> ZoneInfo:
        return self.organization.zone

    def people_q(self, person_field: str) -> Q:
        """Rows whose person (reached through `person_field`, a key to a membership; ""
        for a membership itself) is in the scope."""
        prefix = f"{person_field}__" if person_field else ""
        rule = (
            Q()
            if self.whole_organization
            else below_q(manager=self.reader, person_field=person_field)
        )
        if self.team is not None:
            rule &= Q(**{f"{prefix}team_id__in": team_and_below(team=self.team)})
        return rule
