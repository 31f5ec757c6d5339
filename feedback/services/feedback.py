"""Feedback and feedback requests: give, correct, ask, answer, decline."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from perfmgmt.localization import format_day
from perfmgmt.notifications.models import subject_of
from perfmgmt.notifications.services import notifications_resolve, notify
from perfmgmt.tenancy.models import Membership, MembershipStatus
from perfmgmt.tenancy.policies import Actor, person_of, require_person

from .. import policies, selectors
from ..models import (
    Feedback,
    FeedbackAsk,
    FeedbackRequest,
    FeedbackVisibility,
)
from ._common import MAX_ASKED, MAX_TEXT, _check_length, _url, for_reader, max_text


def _sbi(situation: str, behaviour: str, impact: str) -> dict[str, str]:
    _check_length(situation=situation, behaviour=behaviour, impact=impact)
    texts = {
        "situation": situation.strip(),
        "behaviour": behaviour.strip(),
        "impact": impact.strip(),
    }
    if not any(texts.values()):
        message = _("Describe the situation, the behaviour or its impact (at least one).")
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
    giver = require_person(actor, _("Feedback is given by people."))
    if not policies.can_give_feedback(giver, recipient):
        message = (
            _("You cannot give feedback to yourself.")
            if recipient.pk == giver.pk
            else _("Choose someone who is still in the organization.")
        )
        raise DomainError(message, fields={"recipient": [message]})
    if visibility not in FeedbackVisibility.values:
        raise DomainError(
            _("Choose who can read it."), fields={"visibility": [_("Choose who can read it.")]}
        )
    feedback = Feedback.objects.create(
        giver=giver,
        recipient=recipient,
        visibility=visibility,
        request=request,
        **_sbi(situation, behaviour, impact),
    )
    if visibility in policies.RECIPIENT_READS:
        with for_reader(recipient):
            title = _("%(name)s gave you feedback") % {"name": giver.display_name}
        notify(
            recipient=recipient,
            kind="feedback-received",
            key=f"feedback-received:{feedback.pk}",
            title=title,
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
        raise PermissionDeniedError(_("Only the person who gave feedback can change it."))
    texts = _sbi(
        feedback.situation if situation is None else situation,
        feedback.behaviour if behaviour is None else behaviour,
        feedback.impact if impact is None else impact,
    )
    for name, value in texts.items():
        setattr(feedback, name, value)
    feedback.save(update_fields=[*texts, "updated_at"])
    return feedback


def _clean_request(prompt: str, due_on: date, today: date) -> str:
    problems: dict[str, list[str]] = {}
    prompt = prompt.strip()
    if not prompt:
        problems["prompt"] = [_("Say what you would like feedback on.")]
    elif len(prompt) > MAX_TEXT:
        problems["prompt"] = [_("Keep it under %(count)s characters.") % {"count": max_text()}]
    if due_on < today:
        problems["due_on"] = [_("Choose today or a later date.")]
    if problems:
        raise DomainError(_("The request is not complete."), fields=problems)
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
    requester = require_person(actor, _("Feedback is requested by people."))
    if not policies.can_request_feedback_about(requester, subject):
        message = _("You can ask for feedback about yourself or about people who report to you.")
        raise DomainError(message, fields={"subject": [message]})
    asked = {person.pk: person for person in people}
    problems = []
    if not asked:
        problems.append(_("Choose at least one person to ask."))
    if len(asked) > MAX_ASKED:
        problems.append(_("Ask at most %(count)d people at once.") % {"count": MAX_ASKED})
    if subject.pk in asked or requester.pk in asked:
        problems.append(_("Ask other people than yourself and the person the feedback is about."))
    if any(person.status != MembershipStatus.ACTIVE for person in asked.values()):
        problems.append(_("Everyone you ask must be active in the organization."))
    if problems:
        raise DomainError(_("Choose who to ask."), fields={"people": problems})
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
    for ask in asks:
        with for_reader(ask.person):
            names = {"name": requester.display_name, "subject": subject.display_name}
            title = (
                _("%(name)s asks for your feedback about them") % names
                if subject.pk == requester.pk
                else _("%(name)s asks for your feedback about %(subject)s") % names
            )
            answer_by = _("Please answer by %(day)s.") % {"day": format_day(due_on)}
        notify(
            recipient=ask.person,
            kind="feedback-request",
            key=f"feedback-request:{ask.pk}",
            title=title,
            body=f"{prompt[:500]}\n\n{answer_by}",
            url=url,
            subject=subject_of(ask),
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
        raise PermissionDeniedError(_("Only the person who asked can change the request."))
    today = selectors.local_today(request.requester.organization, now)
    new_due = request.due_on if due_on is None else due_on
    if due_on is None and new_due < today:
        new_due = today  # an old due date does not block changing the prompt
    request.prompt = _clean_request(request.prompt if prompt is None else prompt, new_due, today)
    if due_on is not None:
        request.due_on = due_on
    request.save(update_fields=["prompt", "due_on", "updated_at"])
    return selectors.feedback_request_lookup(request_id=request.pk)


# The notifications asking a person to answer; done once they answer or decline.
ASK_KINDS = ("feedback-request", "feedback-request-due")


def _pending_ask(actor: Actor, request: FeedbackRequest) -> FeedbackAsk:
    person = require_person(actor, _("Feedback is given by people."))
    ask = selectors.ask_of(request, person)
    if ask is None:
        raise PermissionDeniedError(_("You were not asked in this request."))
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
        raise ConflictError(_("You have answered this request already."))
    if ask.status == FeedbackAsk.Status.DECLINED:
        raise ConflictError(_("You declined this request."))
    if visibility not in policies.answer_visibilities(request):
        allowed = ", ".join(
            str(FeedbackVisibility(v).label) for v in policies.answer_visibilities(request)
        )
        raise DomainError(
            _("The person who asked must be able to read your answer."),
            fields={"visibility": [_("Choose one of: %(choices)s.") % {"choices": allowed}]},
        )
    with transaction.atomic():
        locked = FeedbackAsk.objects.select_for_update().get(pk=ask.pk)
        if locked.status != FeedbackAsk.Status.PENDING:
            raise ConflictError(_("You have answered or declined this request already."))
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
        notifications_resolve(subject=subject_of(locked), kinds=ASK_KINDS, by=person_of(actor))
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
            raise ConflictError(_("You have answered this request already."))
        locked.status = FeedbackAsk.Status.DECLINED
        locked.decline_reason = reason.strip()
        locked.responded_at = timezone.now()
        locked.save(update_fields=["status", "decline_reason", "responded_at"])
        notifications_resolve(subject=subject_of(locked), kinds=ASK_KINDS, by=person_of(actor))
    _tell_requester(request, locked, "declined")
    return locked


def _tell_requester(request: FeedbackRequest, ask: FeedbackAsk, what: str) -> None:
    """In the app only (no email): the requester sees each answer or refusal come in."""
    if request.requester_id == ask.person_id:
        return
    with for_reader(request.requester):
        title = (
            _("%(name)s declined your feedback request")
            if what == "declined"
            else _("%(name)s answered your feedback request")
        ) % {"name": ask.person.display_name}
    notify(
        recipient=request.requester,
        kind=f"feedback-request-{what}",
        key=f"feedback-request-{what}:{ask.pk}",
        title=title,
        body=ask.decline_reason if what == "declined" else "",
        url=_url(
            "feedback:request_detail",
            org_slug=request.requester.organization.slug,
            feedback_request_id=request.pk,
        ),
        email=False,
    )
