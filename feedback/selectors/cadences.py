"""Check-in cadences and the organization's calendar: which cadence applies to whom, and
what day it is on the organization's clocks."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from perfmgmt.tenancy.models import Membership, Organization

from ..models import CheckInCadence
from ..periods import BuiltInCadence, CadenceLike

BUILT_IN_CADENCE = BuiltInCadence()


def local_today(organization: Organization, now: datetime | None = None) -> date:
    """Today on the organization's clocks (periods and due dates use it)."""
    return timezone.localtime(now or timezone.now(), organization.zone).date()


def cadences_by_team() -> dict[int | None, CheckInCadence]:
    """Every configured cadence, keyed by team id (None: the organization default)."""
    cadences = CheckInCadence.objects.select_related("team")
    return {cadence.team_id: cadence for cadence in cadences}


def cadence_for(
    person: Membership, cadences: dict[int | None, CheckInCadence] | None = None
) -> CadenceLike:
    """The person's team cadence, else the organization's, else the built-in default."""
    cadences = cadences_by_team() if cadences is None else cadences
    found = cadences.get(person.team_id) if person.team_id else None
    return found or cadences.get(None) or BUILT_IN_CADENCE  # type: ignore[return-value]


def cadence_default() -> CadenceLike:
    """The organization's own cadence, or the built-in default."""
    return cadences_by_team().get(None) or BUILT_IN_CADENCE  # type: ignore[return-value]


def cadence_get(*, team_id: int | None) -> CheckInCadence | None:
    cadences = CheckInCadence.objects.select_related("team")
    if team_id is None:
        return cadences.filter(team=None).first()
    return cadences.filter(team_id=team_id).first()
