"""Check-in cadence: how often, which weekday, which questions (HR)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction
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

    Check-ins already started keep their dates and questions; the change applies from the
    next period (see `feedback/periods.py`).
    """
    person = require_person(actor, _("Only HR admins change the check-in cadence."))
    if not policies.can_configure_checkins(person):
        raise PermissionDeniedError(_("Only HR admins change the check-in cadence."))
    if frequency not in Frequency.values:
        raise DomainError(_("Unknown frequency."), fields={"frequency": [_("Choose a frequency.")]})
    with transaction.atomic():
        cadence = CheckInCadence.objects.select_for_update().filter(team=team).order_by(
            "id"
        ).first() or CheckInCadence(team=team)
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


def cadence_delete(*, actor: Actor, team: Team) -> None:
    """A team goes back to the organization's cadence."""
    person = require_person(actor, _("Only HR admins change the check-in cadence."))
    if not policies.can_configure_checkins(person):
        raise PermissionDeniedError(_("Only HR admins change the check-in cadence."))
    CheckInCadence.objects.filter(team=team).delete()
