"""Retrospectives: opening one, inviting the people it asks, answering it.

A cycle's retrospective opens by itself once the cycle is over, that is when the last of
its phases has closed (release and acknowledgement come last: people have read their
review by then), through the `review-retrospectives` sweep (reviews.reminders); HR can open
it by hand on any launched cycle, earlier. It stays open for `days` days in the
organization's time zone: until the end of the day `days` days after the opening day.

Answering writes the person's participation row and the anonymous answer row in one
transaction (reviews.models.retrospectives). The participation row's unique constraint
decides a double click or two tabs: the second is refused with a 409 and nothing written.
Answering is never audited and resolves no notification: both would store when the person
answered, next to their name.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from perfmgmt.audit.services import audit_record
from perfmgmt.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from perfmgmt.localization import format_moment
from perfmgmt.notifications.ledger import Due, deliver
from perfmgmt.notifications.models import Notification, subject_of
from perfmgmt.notifications.services import notifications_resolve
from perfmgmt.tenancy.models import SIGNING_IN, Membership, Organization
from perfmgmt.tenancy.policies import Actor, person_of
from perfmgmt.web.links import optional_reverse

from .. import policies
from ..locks import lock_cycle
from ..models import (
    LAUNCHED_STATUSES,
    Retrospective,
    RetrospectiveAnswer,
    RetrospectiveParticipation,
    ReviewCycle,
)
from ..models.retrospectives import COMMENT_MAX_LENGTH
from ..phases import local_instant
from ..retrospective_questions import QUESTIONS, SCORES
from ..selectors.retrospectives import answering_people, is_invited

DEFAULT_DAYS = 14
MOST_DAYS = 90
INVITED_KIND = "review-retrospective-open"
OPEN_ACTION = "review_retrospective.open"


def closes_at(organization: Organization, opened_at: datetime, days: int) -> datetime:
    """The end of the day `days` days after the opening day, on the organization's clock."""
    last_day = organization.today(opened_at) + timedelta(days=days)
    return local_instant(last_day, time.max, organization.zone)


def _checked_days(days: Any) -> int:
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MOST_DAYS:
        message = _("Give a number of days from 1 to %(most)d.") % {"most": MOST_DAYS}
        raise DomainError(message, fields={"days": [message]})
    return days


def retrospective_open(
    *, actor: Actor, cycle: ReviewCycle, days: int = DEFAULT_DAYS
) -> Retrospective:
    """Open the cycle's retrospective by hand (HR), or change how long it stays open (its
    days counted from the day it opened). Opening it again with the same days changes
    nothing. The people it asks are told once each, after commit."""
    if not policies.can_run_retrospectives(actor):
        raise PermissionDeniedError(_("Only HR opens a retrospective."))
    days = _checked_days(days)
    with transaction.atomic():
        cycle = lock_cycle(cycle.pk)
        if cycle.status not in LAUNCHED_STATUSES:
            raise ConflictError(_("A retrospective opens once the cycle has launched."))
        organization = cycle.organization
        retrospective = Retrospective.objects.filter(cycle=cycle).first()
        if retrospective is not None and retrospective.days == days:
            return retrospective
        if retrospective is None:
            now = timezone.now()
            retrospective = Retrospective(
                cycle=cycle, opened_at=now, opened_by=person_of(actor), days=days
            )
        retrospective.days = days
        retrospective.closes_at = closes_at(organization, retrospective.opened_at, days)
        retrospective.save()
        audit_record(
            actor=actor,
            action=OPEN_ACTION,
            target=retrospective,
            changes={"cycle": cycle.pk, "days": days},
        )
        ids = (organization.pk, retrospective.pk)
        transaction.on_commit(lambda: _invite_later(*ids))
    return retrospective


def _invite_later(organization_id: int, retrospective_id: int) -> None:
    from ..tasks import retrospective_invite_job

    retrospective_invite_job.delay(organization_id, retrospective_id)


def retrospectives_open_due(organization: Organization, now: datetime) -> list[Retrospective]:
    """Open the retrospective of every launched cycle whose last phase closed in the last
    `DEFAULT_DAYS` days and that has none yet (older cycles are not asked about any more).
    The unique constraint decides two sweeps at once; returns those this call opened."""
    has_one = Retrospective.objects.filter(cycle_id=OuterRef("pk"))
    cycles = (
        ReviewCycle.objects.filter(status__in=LAUNCHED_STATUSES)
        .annotate(ended_at=Max("phases__closes_at"))
        .filter(ended_at__lte=now, ended_at__gt=now - timedelta(days=DEFAULT_DAYS))
        .exclude(Exists(has_one))
    )
    opened = []
    for cycle in cycles:
        retrospective = Retrospective(
            cycle=cycle,
            opened_at=now,
            days=DEFAULT_DAYS,
            closes_at=closes_at(organization, now, DEFAULT_DAYS),
        )
        try:
            with transaction.atomic():
                retrospective.save()
        except IntegrityError:
            continue  # another sweep opened it first
        opened.append(retrospective)
    return opened


def answer_url(retrospective: Retrospective) -> str:
    return optional_reverse(
        "reviews:retrospective",
        org_slug=retrospective.organization.slug,
        retrospective_id=retrospective.pk,
    )


def _invitation(retrospective: Retrospective) -> tuple[str, str]:
    values = {"cycle": retrospective.cycle.name, "when": format_moment(retrospective.closes_at)}
    title = _("Tell us how the cycle %(cycle)s went") % values
    body = (
        _("Four short questions about the process itself, answered anonymously, by %(when)s.")
        % values
    )
    return title, body


def retrospective_invite(*, retrospective: Retrospective, now: datetime | None = None) -> int:
    """Tell each person the open retrospective asks, once each (in the app and by email);
    returns how many were told now. Those told already are left out in SQL."""
    if not retrospective.is_open(now or timezone.now()):
        return 0
    key = f"{INVITED_KIND}:{retrospective.pk}"
    told = Notification.objects.filter(recipient_id=OuterRef("pk"), key=key)
    people = (
        answering_people(retrospective.cycle)
        .exclude(Exists(told))
        .select_related("user")
        .order_by("pk")
    )
    return deliver(
        Due(
            recipient=person,
            kind=INVITED_KIND,
            key=key,
            texts=partial(_invitation, retrospective),
            url=answer_url(retrospective),
            subject=subject_of(retrospective.cycle),
        )
        for person in people.iterator(chunk_size=500)
    )


# Answering -------------------------------------------------------------------------------


def _checked_scores(scores: Mapping[str, Any]) -> dict[str, int]:
    checked, errors = {}, {}
    for question in QUESTIONS:
        value = scores.get(question.key)
        try:
            score = int(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            score = 0
        if isinstance(value, bool) or score not in SCORES or str(value).strip() != str(score):
            errors[question.key] = [_("Choose a score from 1 to 5.")]
        else:
            checked[question.key] = score
    if errors:
        raise DomainError(_("Answer every question."), fields=errors)
    return checked


def _checked_comment(comment: str) -> str:
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        message = _("At most %(most)d characters.") % {"most": COMMENT_MAX_LENGTH}
        raise DomainError(message, fields={"comment": [message]})
    return comment


def _require_answerer(actor: Actor, retrospective: Retrospective) -> Membership:
    person = person_of(actor)
    if person is None:
        raise PermissionDeniedError(_("Only the people a retrospective asks answer it."))
    if not is_invited(person, retrospective.cycle):
        raise NotFoundError("No such retrospective.")
    if person.status not in SIGNING_IN:
        raise PermissionDeniedError(_("Only people still in the organization answer."))
    return person


def retrospective_answer(
    *, actor: Actor, retrospective: Retrospective, scores: Mapping[str, Any], comment: str = ""
) -> None:
    """Answer the retrospective, once (see the module). Returns nothing: there is nothing
    about the answer the caller may keep."""
    person = _require_answerer(actor, retrospective)
    if not retrospective.is_open(timezone.now()):
        raise DomainError(_("This retrospective is closed: answers are no longer taken."))
    checked, text = _checked_scores(scores), _checked_comment(comment)
    with transaction.atomic():
        try:
            with transaction.atomic():
                RetrospectiveParticipation.objects.create(
                    retrospective=retrospective, membership=person
                )
        except IntegrityError:
            raise ConflictError(_("You have answered this retrospective already.")) from None
        RetrospectiveAnswer.objects.create(
            retrospective=retrospective, scores=checked, comment=text
        )
        notifications_resolve(
            subject=subject_of(retrospective.cycle),
            kinds=[INVITED_KIND],
            recipient=person,
            by=person,
        )
