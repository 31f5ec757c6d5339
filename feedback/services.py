"""Every write to check-ins, cadences, feedback, feedback requests and coaching records.

Services take the acting membership first and keyword-only arguments, check the policy,
validate, and raise `DomainError` (400), `ConflictError` (409) or `PermissionDeniedError`
(403) with field messages. Doing the same state change twice is a no-op.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from perfmgmt.notifications.services import notify
from perfmgmt.tenancy.models import Membership, MembershipStatus, Team
from perfmgmt.tenancy.policies import Actor
from perfmgmt.web.links import optional_reverse

from . import policies, selectors
from .models import (
    MAX_QUESTIONS,
    CheckIn,
    CheckInCadence,
    CheckInGoal,
    CoachingRecord,
    Feedback,
    FeedbackAsk,
    FeedbackRequest,
    FeedbackVisibility,
    Frequency,
)

MAX_TEXT = 10_000
MAX_ASKED = 20


def _person(actor: Actor, message: str) -> Membership:
    if not policies.is_person(actor):
        raise PermissionDeniedError(message)
    return actor  # type: ignore[return-value]


def _full_clean(obj: Any, exclude: Sequence[str] = ()) -> None:
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise DomainError.from_validation_error(error) from None


def _check_length(**texts: str | None) -> None:
    fields = {
        name: [f"Keep it under {MAX_TEXT:,} characters."]
        for name, text in texts.items()
        if text is not None and len(text) > MAX_TEXT
    }
    if fields:
        raise DomainError("Some fields are too long.", fields=fields)


def _url(name: str, **kwargs: Any) -> str:
    return optional_reverse(name, **kwargs)


# Cadence -------------------------------------------------------------------------------


def _clean_questions(questions: Sequence[str]) -> list[str]:
    cleaned = [" ".join(str(question).split()) for question in questions]
    cleaned = [question for question in cleaned if question]
    problems = []
    if not cleaned:
        problems.append("Ask at least one question.")
    if len(cleaned) > MAX_QUESTIONS:
        problems.append(f"Ask at most {MAX_QUESTIONS} questions.")
    if any(len(question) > 300 for question in cleaned):
        problems.append("Keep each question under 300 characters.")
    if len(set(cleaned)) != len(cleaned):
        problems.append("Each question can be asked once.")
    if problems:
        raise DomainError("The questions are not valid.", fields={"questions": problems})
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
    person = _person(actor, "Only HR admins change the check-in cadence.")
    if not policies.can_configure_checkins(person):
        raise PermissionDeniedError("Only HR admins change the check-in cadence.")
    if frequency not in Frequency.values:
        raise DomainError("Unknown frequency.", fields={"frequency": ["Choose a frequency."]})
    with transaction.atomic():
        cadence = CheckInCadence.objects.select_for_update().filter(team=team).order_by(
            "id"
        ).first() or CheckInCadence(team=team)
        cadence.frequency = frequency
        cadence.due_weekday = due_weekday
        cadence.questions = _clean_questions(questions)
        cadence.remind_again_after_days = remind_again_after_days
        cadence.updated_by = person
        _full_clean(cadence, exclude=["team", "updated_by"])
        try:
            with transaction.atomic():
                cadence.save()
        except IntegrityError:
            raise ConflictError("Someone else saved this cadence just now; try again.") from None
    return cadence


def cadence_delete(*, actor: Actor, team: Team) -> None:
    """A team goes back to the organization's cadence."""
    person = _person(actor, "Only HR admins change the check-in cadence.")
    if not policies.can_configure_checkins(person):
        raise PermissionDeniedError("Only HR admins change the check-in cadence.")
    CheckInCadence.objects.filter(team=team).delete()


# Check-ins -----------------------------------------------------------------------------


def checkin_current(*, actor: Actor, now: datetime | None = None) -> CheckIn:
    """The actor's check-in for the period covering today, started (as a draft) if needed.

    Safe against two tabs starting it at once: the unique (person, period_start)
    constraint decides, and the loser reads the winner's row.
    """
    person = _person(actor, "Check-ins are written by people.")
    today = selectors.local_today(person.organization, now)
    existing = selectors.checkin_covering(person=person, day=today)
    if existing is not None:
        return existing
    cadence = selectors.cadence_for(person)
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
            "Answer each question once.",
            fields={"answers": [f"Give {len(checkin.questions)} answers, one per question."]},
        )
    cleaned = [str(answer).strip() for answer in answers]
    if any(len(answer) > MAX_TEXT for answer in cleaned):
        raise DomainError(
            "An answer is too long.",
            fields={"answers": [f"Keep each answer under {MAX_TEXT:,} characters."]},
        )
    return cleaned


def _clean_score(score: int | None) -> int | None:
    if score is not None and not (isinstance(score, int) and 1 <= score <= 5):
        raise DomainError("The score is 1 to 5.", fields={"score": ["Choose a score from 1 to 5."]})
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
            raise ConflictError("This check-in has been reviewed and can no longer change.")
        raise PermissionDeniedError("Only the person writes their check-in.")
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

    zone = checkin.person.organization.zone
    since = datetime.combine(checkin.period_start, time.min, tzinfo=zone)
    until = datetime.combine(checkin.period_end + timedelta(days=1), time.min, tzinfo=zone)
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
            raise PermissionDeniedError("Only the person submits their check-in.")
        return checkin
    checkin = checkin_update(actor=actor, checkin=checkin, answers=answers, score=score)
    problems: dict[str, list[str]] = {}
    if checkin.score is None:
        problems["score"] = ["Choose how this period felt, from 1 to 5."]
    if not any(answer.strip() for answer in checkin.answers):
        problems["answers"] = ["Answer at least one question."]
    if problems:
        raise DomainError("The check-in is not complete yet.", fields=problems)
    if checkin.status == CheckIn.Status.DRAFT:
        updated = CheckIn.objects.filter(pk=checkin.pk, status=CheckIn.Status.DRAFT).update(
            status=CheckIn.Status.SUBMITTED, submitted_at=timezone.now()
        )
        if updated:
            _link_updated_goals(checkin)
    return selectors.checkin_lookup(checkin_id=checkin.pk)


def checkin_review(*, actor: Actor, checkin: CheckIn, reply: str = "") -> CheckIn:
    """A manager of the person replies and marks the check-in reviewed.

    Reviewing again changes only the reply; who reviewed it first, and when, stay.
    """
    if not policies.can_review_checkin(actor, checkin):
        raise PermissionDeniedError("Only the person's managers review their check-in.")
    if checkin.status == CheckIn.Status.DRAFT:
        raise ConflictError("This check-in has not been submitted yet.")
    _check_length(reply=reply)
    checkin.manager_reply = reply.strip()
    if checkin.status != CheckIn.Status.REVIEWED:
        checkin.status = CheckIn.Status.REVIEWED
        checkin.reviewed_by = actor  # type: ignore[assignment]
        checkin.reviewed_at = timezone.now()
    checkin.save(
        update_fields=["manager_reply", "status", "reviewed_by", "reviewed_at", "updated_at"]
    )
    if reply.strip():
        notify(
            recipient=checkin.person,
            kind="checkin-reviewed",
            key=f"checkin-reviewed:{checkin.pk}",
            title=f"{actor.display_name} replied to your check-in",
            body=reply.strip()[:500],
            url=_url(
                "feedback:checkin_detail",
                org_slug=checkin.person.organization.slug,
                checkin_id=checkin.pk,
            ),
        )
    return selectors.checkin_lookup(checkin_id=checkin.pk)


# Feedback ------------------------------------------------------------------------------


def _sbi(situation: str, behaviour: str, impact: str) -> dict[str, str]:
    _check_length(situation=situation, behaviour=behaviour, impact=impact)
    texts = {
        "situation": situation.strip(),
        "behaviour": behaviour.strip(),
        "impact": impact.strip(),
    }
    if not any(texts.values()):
        message = "Describe the situation, the behaviour or its impact (at least one)."
        raise DomainError(message, fields={"situation": [message]})
    return texts


def feedback_give(
    *,
    actor: Actor,
    recipient: Membership,
    visibility: str,
    situation: str = "",
    behaviour: str = "",
    impact: str = "",
    request: FeedbackRequest | None = None,
) -> Feedback:
    """Give feedback to someone, with the visibility chosen before sending."""
    giver = _person(actor, "Feedback is given by people.")
    if not policies.can_give_feedback(giver, recipient):
        message = (
            "You cannot give feedback to yourself."
            if recipient.pk == giver.pk
            else "Choose someone who is still in the organization."
        )
        raise DomainError(message, fields={"recipient": [message]})
    if visibility not in FeedbackVisibility.values:
        raise DomainError(
            "Choose who can read it.", fields={"visibility": ["Choose who can read it."]}
        )
    feedback = Feedback.objects.create(
        giver=giver,
        recipient=recipient,
        visibility=visibility,
        request=request,
        **_sbi(situation, behaviour, impact),
    )
    if visibility in policies.RECIPIENT_READS:
        notify(
            recipient=recipient,
            kind="feedback-received",
            key=f"feedback-received:{feedback.pk}",
            title=f"{giver.display_name} gave you feedback",
            url=_url(
                "feedback:feedback_detail",
                org_slug=recipient.organization.slug,
                feedback_id=feedback.pk,
            ),
        )
    return feedback


def feedback_update(
    *,
    actor: Actor,
    feedback: Feedback,
    situation: str | None = None,
    behaviour: str | None = None,
    impact: str | None = None,
) -> Feedback:
    """The giver corrects the text. Who can read it stays as it was sent."""
    if not policies.can_edit_feedback(actor, feedback):
        raise PermissionDeniedError("Only the person who gave feedback can change it.")
    texts = _sbi(
        feedback.situation if situation is None else situation,
        feedback.behaviour if behaviour is None else behaviour,
        feedback.impact if impact is None else impact,
    )
    for name, value in texts.items():
        setattr(feedback, name, value)
    feedback.save(update_fields=[*texts, "updated_at"])
    return feedback


# Feedback requests ---------------------------------------------------------------------


def _clean_request(prompt: str, due_on: date, today: date) -> str:
    problems: dict[str, list[str]] = {}
    prompt = prompt.strip()
    if not prompt:
        problems["prompt"] = ["Say what you would like feedback on."]
    elif len(prompt) > MAX_TEXT:
        problems["prompt"] = [f"Keep it under {MAX_TEXT:,} characters."]
    if due_on < today:
        problems["due_on"] = ["Choose today or a later date."]
    if problems:
        raise DomainError("The request is not complete.", fields=problems)
    return prompt


def feedback_request_create(
    *,
    actor: Actor,
    subject: Membership,
    people: Sequence[Membership],
    prompt: str,
    due_on: date,
    now: datetime | None = None,
) -> FeedbackRequest:
    """Ask chosen people for feedback about oneself, or (as a manager) about a report."""
    requester = _person(actor, "Feedback is requested by people.")
    if not policies.can_request_feedback_about(requester, subject):
        message = "You can ask for feedback about yourself or about people who report to you."
        raise DomainError(message, fields={"subject": [message]})
    asked = {person.pk: person for person in people}
    problems = []
    if not asked:
        problems.append("Choose at least one person to ask.")
    if len(asked) > MAX_ASKED:
        problems.append(f"Ask at most {MAX_ASKED} people at once.")
    if subject.pk in asked or requester.pk in asked:
        problems.append("Ask other people than yourself and the person the feedback is about.")
    if any(person.status != MembershipStatus.ACTIVE for person in asked.values()):
        problems.append("Everyone you ask must be active in the organization.")
    if problems:
        raise DomainError("Choose who to ask.", fields={"people": problems})
    today = selectors.local_today(requester.organization, now)
    prompt = _clean_request(prompt, due_on, today)
    with transaction.atomic():
        request = FeedbackRequest.objects.create(
            requester=requester, subject=subject, prompt=prompt, due_on=due_on
        )
        asks = FeedbackAsk.objects.bulk_create(
            [
                FeedbackAsk(organization_id=request.organization_id, request=request, person=person)
                for person in asked.values()
            ]
        )
    url = _url(
        "feedback:request_detail",
        org_slug=requester.organization.slug,
        feedback_request_id=request.pk,
    )
    about = "them" if subject.pk == requester.pk else subject.display_name
    for ask in asks:
        notify(
            recipient=ask.person,
            kind="feedback-request",
            key=f"feedback-request:{ask.pk}",
            title=f"{requester.display_name} asks for your feedback about {about}",
            body=f"{prompt[:500]}\n\nPlease answer by {due_on:%d %B %Y}.",
            url=url,
        )
    return selectors.feedback_request_lookup(request_id=request.pk)


def feedback_request_update(
    *,
    actor: Actor,
    request: FeedbackRequest,
    prompt: str | None = None,
    due_on: date | None = None,
    now: datetime | None = None,
) -> FeedbackRequest:
    """The requester changes the prompt or moves the due date."""
    if not policies.can_edit_feedback_request(actor, request):
        raise PermissionDeniedError("Only the person who asked can change the request.")
    today = selectors.local_today(request.requester.organization, now)
    new_due = request.due_on if due_on is None else due_on
    if due_on is None and new_due < today:
        new_due = today  # an old due date does not block changing the prompt
    request.prompt = _clean_request(request.prompt if prompt is None else prompt, new_due, today)
    if due_on is not None:
        request.due_on = due_on
    request.save(update_fields=["prompt", "due_on", "updated_at"])
    return selectors.feedback_request_lookup(request_id=request.pk)


def _pending_ask(actor: Actor, request: FeedbackRequest) -> FeedbackAsk:
    person = _person(actor, "Feedback is given by people.")
    ask = selectors.ask_of(request, person)
    if ask is None:
        raise PermissionDeniedError("You were not asked in this request.")
    return ask


def feedback_request_answer(
    *,
    actor: Actor,
    request: FeedbackRequest,
    visibility: str,
    situation: str = "",
    behaviour: str = "",
    impact: str = "",
) -> Feedback:
    """An asked person answers: feedback about the subject, linked to the request.

    The person who asked must be able to read the answer, so the visibility choices depend
    on the request (`policies.answer_visibilities`). Answering twice is refused (409).
    """
    ask = _pending_ask(actor, request)
    if ask.status == FeedbackAsk.Status.ANSWERED:
        raise ConflictError("You have answered this request already.")
    if ask.status == FeedbackAsk.Status.DECLINED:
        raise ConflictError("You declined this request.")
    if visibility not in policies.answer_visibilities(request):
        allowed = ", ".join(
            str(FeedbackVisibility(v).label) for v in policies.answer_visibilities(request)
        )
        raise DomainError(
            "The person who asked must be able to read your answer.",
            fields={"visibility": [f"Choose one of: {allowed}."]},
        )
    with transaction.atomic():
        locked = FeedbackAsk.objects.select_for_update().get(pk=ask.pk)
        if locked.status != FeedbackAsk.Status.PENDING:
            raise ConflictError("You have answered or declined this request already.")
        feedback = feedback_give(
            actor=actor,
            recipient=request.subject,
            visibility=visibility,
            situation=situation,
            behaviour=behaviour,
            impact=impact,
            request=request,
        )
        locked.status = FeedbackAsk.Status.ANSWERED
        locked.feedback = feedback
        locked.responded_at = timezone.now()
        locked.save(update_fields=["status", "feedback", "responded_at"])
    _tell_requester(request, locked, "answered")
    return feedback


def feedback_request_decline(
    *, actor: Actor, request: FeedbackRequest, reason: str = ""
) -> FeedbackAsk:
    """An asked person declines, optionally saying why. Declining twice is a no-op."""
    ask = _pending_ask(actor, request)
    _check_length(reason=reason)
    with transaction.atomic():
        locked = FeedbackAsk.objects.select_for_update().get(pk=ask.pk)
        if locked.status == FeedbackAsk.Status.DECLINED:
            return locked
        if locked.status == FeedbackAsk.Status.ANSWERED:
            raise ConflictError("You have answered this request already.")
        locked.status = FeedbackAsk.Status.DECLINED
        locked.decline_reason = reason.strip()
        locked.responded_at = timezone.now()
        locked.save(update_fields=["status", "decline_reason", "responded_at"])
    _tell_requester(request, locked, "declined")
    return locked


def _tell_requester(request: FeedbackRequest, ask: FeedbackAsk, what: str) -> None:
    """In the app only (no email): the requester sees each answer or refusal come in."""
    if request.requester_id == ask.person_id:
        return
    notify(
        recipient=request.requester,
        kind=f"feedback-request-{what}",
        key=f"feedback-request-{what}:{ask.pk}",
        title=f"{ask.person.display_name} {what} your feedback request",
        body=ask.decline_reason if what == "declined" else "",
        url=_url(
            "feedback:request_detail",
            org_slug=request.requester.organization.slug,
            feedback_request_id=request.pk,
        ),
        email=False,
    )


# Coaching records ----------------------------------------------------------------------


def _clean_coaching(record: CoachingRecord) -> None:
    record.topic = record.topic.strip()
    _check_length(observations=record.observations, agreed=record.agreed)
    if record.follow_up_on and record.follow_up_on < record.held_on:
        raise DomainError(
            "The follow-up comes after the conversation.",
            fields={"follow_up_on": ["Choose a date on or after the conversation."]},
        )
    _full_clean(record, exclude=["manager", "person"])


def coaching_record_create(
    *,
    actor: Actor,
    person: Membership,
    held_on: date,
    topic: str,
    observations: str = "",
    agreed: str = "",
    follow_up_on: date | None = None,
) -> CoachingRecord:
    """A manager (of the person's chain) records a coaching conversation."""
    manager = _person(actor, "Coaching records are written by managers.")
    if not policies.can_write_coaching_record(manager, person):
        raise PermissionDeniedError("Only the person's managers write coaching records.")
    record = CoachingRecord(
        manager=manager,
        person=person,
        held_on=held_on,
        topic=topic,
        observations=observations.strip(),
        agreed=agreed.strip(),
        follow_up_on=follow_up_on,
    )
    _clean_coaching(record)
    record.save()
    notify(
        recipient=person,
        kind="coaching-record",
        key=f"coaching-record:{record.pk}",
        title=f"{manager.display_name} wrote down your coaching conversation",
        body=record.topic,
        url=_url(
            "feedback:coaching_detail",
            org_slug=person.organization.slug,
            coaching_record_id=record.pk,
        ),
        email=False,
    )
    return record


COACHING_FIELDS = ("held_on", "topic", "observations", "agreed", "follow_up_on")


def coaching_record_update(
    *, actor: Actor, record: CoachingRecord, **changes: Any
) -> CoachingRecord:
    """The author changes the record; only the fields given change."""
    if not policies.can_edit_coaching_record(actor, record):
        raise PermissionDeniedError("Only the manager who wrote it can change this record.")
    unknown = set(changes) - set(COACHING_FIELDS)
    if unknown:
        raise DomainError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    for name, value in changes.items():
        setattr(record, name, value.strip() if isinstance(value, str) else value)
    _clean_coaching(record)
    record.save()
    return record
