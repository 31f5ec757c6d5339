"""Check-ins: start the period's, answer, submit, review."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from perfmgmt.audit.services import audit_record
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from perfmgmt.integrations.webhooks.events import emit
from perfmgmt.notifications.services import notifications_resolve, notify
from perfmgmt.tenancy.policies import Actor, person_of, require_person

from .. import policies, selectors
from ..models import (
    CheckIn,
    CheckInGoal,
)
from ._common import MAX_TEXT, _check_length, _url, for_reader, max_text


def checkin_subject(person_id: int, period_start: date) -> str:
    """What the check-in reminders of one person's period are about (the check-in itself
    may not exist yet when they are sent)."""
    return f"feedback.checkin:{person_id}:{period_start.isoformat()}"


# The reminders a submitted check-in answers.
REMINDER_KINDS = ("checkin-due", "checkin-overdue")


def checkin_current(*, actor: Actor, now: datetime | None = None) -> CheckIn:
    """The actor's check-in for the period covering today, started (as a draft) if needed.

    Safe against two tabs starting it at once: the unique (person, period_start)
    constraint decides, and the loser reads the winner's row.
    """
    person = require_person(actor, _("Check-ins are written by people."))
    today = selectors.local_today(person.organization, now)
    existing = selectors.checkin_covering(person=person, day=today)
    if existing is not None:
        return existing
    cadence = selectors.cadence_for(person, day=today)
    period = selectors.current_period(person=person, day=today)
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(
                person=person,
                period_start=period.start,
                period_end=period.end,
                due_on=period.due_on,
                questions=list(cadence.questions),
                answers=["" for _ in cadence.questions],
            )
    except IntegrityError:
        return CheckIn.objects.get(person=person, period_start=period.start)
    return selectors.checkin_lookup(checkin_id=checkin.pk)


def _clean_answers(checkin: CheckIn, answers: Sequence[str]) -> list[str]:
    if len(answers) != len(checkin.questions):
        raise DomainError(
            _("Answer each question once."),
            fields={
                "answers": [
                    ngettext(
                        "Give %(count)d answer, one per question.",
                        "Give %(count)d answers, one per question.",
                        len(checkin.questions),
                    )
                    % {"count": len(checkin.questions)}
                ]
            },
        )
    cleaned = [str(answer).strip() for answer in answers]
    if any(len(answer) > MAX_TEXT for answer in cleaned):
        raise DomainError(
            _("An answer is too long."),
            fields={
                "answers": [
                    _("Keep each answer under %(count)s characters.") % {"count": max_text()}
                ]
            },
        )
    return cleaned


def _clean_score(score: int | None) -> int | None:
    if score is not None and not (isinstance(score, int) and 1 <= score <= 5):
        raise DomainError(
            _("The score is 1 to 5."), fields={"score": [_("Choose a score from 1 to 5.")]}
        )
    return score


def checkin_update(
    *,
    actor: Actor,
    checkin: CheckIn,
    answers: Sequence[str] | None = None,
    score: int | None = None,
    clear_score: bool = False,
) -> CheckIn:
    """Save the person's answers and score (a draft, or a submitted one not yet reviewed)."""
    if not policies.can_edit_checkin(actor, checkin):
        if checkin.status == CheckIn.Status.REVIEWED and checkin.person_id == actor.pk:
            raise ConflictError(_("This check-in has been reviewed and can no longer change."))
        raise PermissionDeniedError(_("Only the person writes their check-in."))
    fields = ["updated_at"]
    if answers is not None:
        checkin.answers = _clean_answers(checkin, answers)
        fields.append("answers")
    if score is not None or clear_score:
        checkin.score = None if clear_score else _clean_score(score)
        fields.append("score")
    checkin.save(update_fields=fields)
    return checkin


def _link_updated_goals(checkin: CheckIn) -> None:
    """Link the goals the person updated during the period (goal updates they wrote)."""
    from goals.selectors import goal_updates_by

    organization = checkin.person.organization
    since, until = organization.days(checkin.period_start, checkin.period_end)
    updates = goal_updates_by(person=checkin.person_id, since=since, until=until)
    goal_ids = set(updates.values_list("goal_id", flat=True))
    linked = set(checkin.goal_links.values_list("goal_id", flat=True))
    CheckInGoal.objects.bulk_create(
        [
            CheckInGoal(organization_id=checkin.organization_id, checkin=checkin, goal_id=goal_id)
            for goal_id in goal_ids - linked
        ],
        ignore_conflicts=True,
    )


def checkin_submit(
    *,
    actor: Actor,
    checkin: CheckIn,
    answers: Sequence[str] | None = None,
    score: int | None = None,
) -> CheckIn:
    """Send the check-in to the manager. It needs a score and at least one answer.

    Submitting again is a no-op (the first submission time stays).
    """
    if checkin.status != CheckIn.Status.DRAFT and answers is None and score is None:
        if checkin.person_id != actor.pk:
            raise PermissionDeniedError(_("Only the person submits their check-in."))
        return checkin
    checkin = checkin_update(actor=actor, checkin=checkin, answers=answers, score=score)
    problems: dict[str, list[str]] = {}
    if checkin.score is None:
        problems["score"] = [_("Choose how this period felt, from 1 to 5.")]
    if not any(answer.strip() for answer in checkin.answers):
        problems["answers"] = [_("Answer at least one question.")]
    if problems:
        raise DomainError(_("The check-in is not complete yet."), fields=problems)
    if checkin.status == CheckIn.Status.DRAFT:
        with transaction.atomic():
            updated = CheckIn.objects.filter(pk=checkin.pk, status=CheckIn.Status.DRAFT).update(
                status=CheckIn.Status.SUBMITTED, submitted_at=timezone.now()
            )
            if updated:
                checkin.refresh_from_db(fields=["status", "submitted_at"])
                emit("checkin.submitted", resource=checkin)
                _link_updated_goals(checkin)
                period = {"period_start": checkin.period_start.isoformat()}
                audit_record(
                    actor=actor, action="checkin.submitted", target=checkin, changes=period
                )
                notifications_resolve(
                    subject=checkin_subject(checkin.person_id, checkin.period_start),
                    kinds=REMINDER_KINDS,
                    by=person_of(actor),
                )
    return selectors.checkin_lookup(checkin_id=checkin.pk)


def checkin_review(*, actor: Actor, checkin: CheckIn, reply: str = "") -> CheckIn:
    """A manager of the person replies and marks the check-in reviewed.

    Reviewing again changes only the reply; who reviewed it first, and when, stay.
    """
    if not policies.can_review_checkin(actor, checkin):
        raise PermissionDeniedError(_("Only the person's managers review their check-in."))
    if checkin.status == CheckIn.Status.DRAFT:
        raise ConflictError(_("This check-in has not been submitted yet."))
    _check_length(reply=reply)
    checkin.manager_reply = reply.strip()
    if checkin.status != CheckIn.Status.REVIEWED:
        checkin.status = CheckIn.Status.REVIEWED
        checkin.reviewed_by = actor  # type: ignore[assignment]
        checkin.reviewed_at = timezone.now()
        audit_record(actor=actor, action="checkin.reviewed", target=checkin)
    checkin.save(
        update_fields=["manager_reply", "status", "reviewed_by", "reviewed_at", "updated_at"]
    )
    if reply.strip():
        with for_reader(checkin.person):
            title = _("%(name)s replied to your check-in") % {"name": actor.display_name}
        notify(
            recipient=checkin.person,
            kind="checkin-reviewed",
            key=f"checkin-reviewed:{checkin.pk}",
            title=title,
            body=reply.strip()[:500],
            url=_url(
                "feedback:checkin_detail",
                org_slug=checkin.person.organization.slug,
                checkin_id=checkin.pk,
            ),
        )
    return selectors.checkin_lookup(checkin_id=checkin.pk)
