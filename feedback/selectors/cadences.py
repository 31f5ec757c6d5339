"""Check-in cadences and the organization's calendar: which cadence applies to whom on which
day, and what day it is on the organization's clocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.translation import gettext as _

from perfmgmt.tenancy.models import Membership, Organization
from perfmgmt.tenancy.selectors import first_day as member_first_day

from ..models import CheckInCadence, Frequency, Weekday
from ..periods import (
    BuiltInCadence,
    CadenceLike,
    CadenceOnDay,
    cadence_on,
    first_reminded_day,
    unconfigured,
)

BUILT_IN_CADENCE = BuiltInCadence()

Cadences = dict[int | None, CheckInCadence]


def local_today(organization: Organization, now: datetime | None = None) -> date:
    """Today on the organization's clocks (periods and due dates use it)."""
    return organization.today(now)


def cadences_by_team() -> Cadences:
    """Every configured cadence, keyed by team id (None: the organization default)."""
    cadences = CheckInCadence.objects.select_related("team")
    return {cadence.team_id: cadence for cadence in cadences}


@lru_cache(maxsize=32)
def _built_in(language: str | None) -> CadenceOnDay:
    """The built-in cadence, its questions in `language` (the active one): built once per
    language, not at import nor per call (the sweep asks for it a few times a person)."""
    return unconfigured(BUILT_IN_CADENCE)


def cadence_on_day(*, team_id: int | None, day: date, cadences: Cadences) -> CadenceOnDay:
    """The cadence a team (None: people without a team) follows on `day`."""
    organization = cadence_on(cadences.get(None), day, _built_in(translation.get_language()))
    if team_id is None:
        return organization
    return cadence_on(cadences.get(team_id), day, organization)


def cadence_for(
    person: Membership, cadences: Cadences | None = None, *, day: date | None = None
) -> CadenceOnDay:
    """The person's team cadence, else the organization's, else the built-in default, as it
    applies on `day` (default: today): a change applies from the next period."""
    cadences = cadences_by_team() if cadences is None else cadences
    if day is None:
        day = local_today(person.organization)
    return cadence_on_day(team_id=person.team_id, day=day, cadences=cadences)


def reminded_from(person: Membership, zone: ZoneInfo, cadences: Cadences) -> date:
    """The first day of the first period the person is asked (and reminded) to check in
    for: their first whole period, never one that began before they joined or started."""
    joined = member_first_day(person, zone)
    return first_reminded_day(cadence_for(person, cadences, day=joined), joined)


def cadence_default() -> CadenceLike:
    """The organization's own cadence, or the built-in default."""
    return cadences_by_team().get(None) or BUILT_IN_CADENCE  # type: ignore[return-value]


def cadence_get(*, team_id: int | None) -> CheckInCadence | None:
    cadences = CheckInCadence.objects.select_related("team")
    if team_id is None:
        return cadences.filter(team=None).first()
    return cadences.filter(team_id=team_id).first()


@dataclass(frozen=True)
class PendingChange:
    """A saved change of the periods that has not taken effect yet."""

    applies_from: date
    until_then: str  # e.g. "weekly, due Friday"
    follows_organization: bool


def describe(frequency: str, due_weekday: int) -> str:
    return _("%(frequency)s, due %(weekday)s") % {
        "frequency": Frequency(frequency).label.lower(),
        "weekday": Weekday(due_weekday).label,
    }


def cadence_pending_change(
    *, cadence: CheckInCadence | None, today: date, cadences: Cadences
) -> PendingChange | None:
    """When `cadence` changed the periods from a day still to come: from when, and what
    applies until then (for the settings page)."""
    if cadence is None or cadence.applies_from is None or today >= cadence.applies_from:
        return None
    before = cadence_on_day(team_id=cadence.team_id, day=today, cadences=cadences)
    until_then = (
        describe(before.frequency, before.due_weekday)
        if before.configured
        else _("no reminders yet")
    )
    return PendingChange(cadence.applies_from, until_then, cadence.follows_organization)
