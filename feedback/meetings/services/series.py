"""Starting a 1:1 series between two people and changing its cadence."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from perfmgmt.audit.services import audit_record
from perfmgmt.errors import DomainError
from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.policies import Actor, is_manager_of, require_person

from .. import policies
from ..models import Cadence, OneOnOneSeries
from ._common import KEYS_CANNOT_WRITE, _check_meeting_time, _require
from .meetings import meeting_schedule


def series_start(
    *,
    actor: Actor,
    other: Membership,
    cadence: str = Cadence.WEEKLY,
    first_meeting_at: datetime | None = None,
    actor_leads: bool | None = None,
    confirm_past: bool = False,
) -> OneOnOneSeries:
    """Start (or find) the 1:1 series between the actor and another person.

    The manager side is whoever is higher in the reporting line when one manages the other,
    otherwise the actor (ad-hoc and peer 1:1s) unless `actor_leads` says otherwise. Starting
    a series that exists (in either direction) returns it unchanged; with `first_meeting_at`
    that meeting is scheduled in it (a day before today only with `confirm_past`: it took
    place). A refused first meeting starts no series.
    """
    person = require_person(actor, str(KEYS_CANNOT_WRITE))
    _require(
        policies.can_start_series_with(person, other), _("You cannot start a 1:1 with this person.")
    )
    if cadence not in Cadence.values:
        raise DomainError(
            _("Some fields are not valid."), fields={"cadence": [_("Unknown cadence.")]}
        )
    if first_meeting_at is not None:
        _check_meeting_time(first_meeting_at, field="first_meeting_at", confirm_past=confirm_past)
    existing = (
        OneOnOneSeries.objects.filter(manager=person, report=other)
        | OneOnOneSeries.objects.filter(manager=other, report=person)
    ).first()
    if existing is None:
        leads = actor_leads if actor_leads is not None else not is_manager_of(other, person)
        manager, report = (person, other) if leads else (other, person)
        try:
            with transaction.atomic():
                existing = OneOnOneSeries.objects.create(
                    manager=manager, report=report, cadence=cadence, created_by=person
                )
                audit_record(
                    actor=person,
                    action="one_on_one.series_started",
                    target=existing,
                    changes={"manager": manager.pk, "report": report.pk, "cadence": cadence},
                )
        except IntegrityError:
            existing = OneOnOneSeries.objects.get(manager=manager, report=report)
    if first_meeting_at is not None:
        meeting_schedule(
            actor=person,
            series=existing,
            scheduled_for=first_meeting_at,
            confirm_past=confirm_past,
        )
    return existing


def series_update(*, actor: Actor, series: OneOnOneSeries, cadence: str) -> OneOnOneSeries:
    person = require_person(actor, str(KEYS_CANNOT_WRITE))
    _require(policies.can_change_series(person, series))
    if cadence not in Cadence.values:
        raise DomainError(
            _("Some fields are not valid."), fields={"cadence": [_("Unknown cadence.")]}
        )
    if series.cadence != cadence:
        before, series.cadence = series.cadence, cadence
        series.save(update_fields=["cadence", "updated_at"])
        changes = {"cadence": [before, cadence]}
        audit_record(
            actor=person, action="one_on_one.cadence_changed", target=series, changes=changes
        )
    return series
