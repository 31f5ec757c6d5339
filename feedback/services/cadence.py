"""Check-in cadence: how often, which weekday, which questions (HR)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError, full_clean_or_raise
from perfmgmt.tenancy.models import Team
from perfmgmt.tenancy.policies import Actor, require_person

from .. import policies
from ..models import (
    MAX_QUESTIONS,
    CheckInCadence,
    Frequency,
)
from ..periods import CadenceOnDay, cadence_period
from ..selectors import cadence_on_day, local_today


def _clean_questions(questions: Sequence[str]) -> list[str]:
    cleaned = [" ".join(str(question).split()) for question in questions]
    cleaned = [question for question in cleaned if question]
    problems = []
    if not cleaned:
        problems.append(_("Ask at least one question."))
    if len(cleaned) > MAX_QUESTIONS:
        problems.append(_("Ask at most %(count)d questions.") % {"count": MAX_QUESTIONS})
    if any(len(question) > 300 for question in cleaned):
        problems.append(_("Keep each question under %(count)d characters.") % {"count": 300})
    if len(set(cleaned)) != len(cleaned):
        problems.append(_("Each question can be asked once."))
    if problems:
        raise DomainError(_("The questions are not valid."), fields={"questions": problems})
    return cleaned


def _change_periods(
    cadence: CheckInCadence, *, today: date, before: CadenceOnDay, frequency: str, weekday: int
) -> None:
    """From the next period boundary, the periods are the new ones; until then, those that
    applied today (see `feedback/periods.py`)."""
    if before.configured and (before.frequency, before.due_weekday) == (frequency, weekday):
        if cadence.applies_from is not None and today < cadence.applies_from:
            # Back to what applies today before the change took effect: no change at all.
            cadence.applies_from = None
            cadence.previous_frequency, cadence.previous_due_weekday = "", None
        return
    _start_new_periods(cadence, today=today, before=before)


def _start_new_periods(cadence: CheckInCadence, *, today: date, before: CadenceOnDay) -> None:
    _, end = cadence_period(before, today)
    cadence.applies_from = end + timedelta(days=1)
    cadence.previous_frequency = before.frequency if before.configured else ""
    cadence.previous_due_weekday = before.due_weekday if before.configured else None


def cadence_save(
    *,
    actor: Actor,
    team: Team | None = None,
    frequency: str,
    due_weekday: int,
    questions: Sequence[str],
    remind_again_after_days: int,
) -> CheckInCadence:
    """Create or change the organization's default cadence (no team) or a team's.

    Check-ins already started keep their dates and questions. New periods (frequency and
    weekday) apply from the next period boundary: the period that contains today keeps the
    dates it had, so nobody is told a check-in was due on a day that was never a due day.
    The questions and the reminder delay apply to check-ins started from now on.
    """
    person = require_person(actor, _("Only HR admins change the check-in cadence."))
    if not policies.can_configure_checkins(person):
        raise PermissionDeniedError(_("Only HR admins change the check-in cadence."))
    if frequency not in Frequency.values:
        raise DomainError(_("Unknown frequency."), fields={"frequency": [_("Choose a frequency.")]})
    today = local_today(person.organization)
    with transaction.atomic():
        cadences = _locked_cadences(team)
        before = cadence_on_day(team_id=team.pk if team else None, day=today, cadences=cadences)
        key = team.pk if team else None
        cadence = cadences.get(key) or CheckInCadence(team=team)
        _change_periods(
            cadence, today=today, before=before, frequency=frequency, weekday=due_weekday
        )
        cadence.follows_organization = False
        cadence.frequency = frequency
        cadence.due_weekday = due_weekday
        cadence.questions = _clean_questions(questions)
        cadence.remind_again_after_days = remind_again_after_days
        cadence.updated_by = person
        full_clean_or_raise(cadence, exclude=["team", "updated_by"])
        try:
            with transaction.atomic():
                cadence.save()
        except IntegrityError:
            raise ConflictError(_("Someone else saved this cadence just now; try again.")) from None
    return cadence


def _locked_cadences(team: Team | None) -> dict[int | None, CheckInCadence]:
    """The organization's cadence and the team's, locked (the organization's first)."""
    rows = (
        CheckInCadence.objects.select_for_update()
        .filter(Q(team=None) | Q(team=team) if team else Q(team=None))
        .order_by(F("team_id").asc(nulls_first=True), "id")
    )
    return {row.team_id: row for row in rows}


def cadence_delete(*, actor: Actor, team: Team) -> None:
    """A team goes back to the organization's cadence, from the next period boundary (at
    once when the periods are the same)."""
    person = require_person(actor, _("Only HR admins change the check-in cadence."))
    if not policies.can_configure_checkins(person):
        raise PermissionDeniedError(_("Only HR admins change the check-in cadence."))
    today = local_today(person.organization)
    with transaction.atomic():
        cadences = _locked_cadences(team)
        cadence = cadences.get(team.pk)
        if cadence is None or cadence.follows_organization:
            return
        before = cadence_on_day(team_id=team.pk, day=today, cadences=cadences)
        after = cadence_on_day(team_id=None, day=today, cadences=cadences)
        same = (before.frequency, before.due_weekday, before.configured) == (
            after.frequency,
            after.due_weekday,
            after.configured,
        )
        if same:
            cadence.delete()
            return
        _start_new_periods(cadence, today=today, before=before)
        cadence.follows_organization = True
        cadence.updated_by = person
        cadence.save()
