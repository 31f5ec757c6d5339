"""Reads with rules: check-ins, feedback, feedback requests and coaching records.

Every list here runs a fixed number of queries whatever its length. Visibility follows
`feedback/policies.py` (tests check both agree). An object the actor may not see is a 404,
exactly like another organization's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from perfmgmt.tenancy.models import Membership, MembershipStatus, Organization
from perfmgmt.tenancy.policies import Actor
from perfmgmt.tenancy.selectors import report_ids

from . import policies
from .models import (
    CheckIn,
    CheckInCadence,
    CoachingRecord,
    Feedback,
    FeedbackAsk,
    FeedbackRequest,
)
from .periods import BuiltInCadence, CadenceLike, Period, period_for

BUILT_IN_CADENCE = BuiltInCadence()


def _as_int(value: int | str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404("Not found.") from None
    if not 0 < number < 2**63:
        raise Http404("Not found.")
    return number


def local_today(organization: Organization, now: datetime | None = None) -> date:
    """Today on the organization's clocks (periods and due dates use it)."""
    return timezone.localtime(now or timezone.now(), organization.zone).date()


# Cadences ------------------------------------------------------------------------------


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


# Check-ins -----------------------------------------------------------------------------


def _checkin_queryset() -> QuerySet[CheckIn]:
    return CheckIn.objects.select_related(
        "person__user", "person__manager", "reviewed_by__user"
    ).prefetch_related("goals")


def checkin_visible_q(actor: Actor) -> Q:
    if not policies.is_person(actor):
        return Q(pk__in=[])
    return Q(person=actor) | Q(person_id__in=report_ids(manager=actor))  # type: ignore[arg-type]


def checkin_list(
    *,
    actor: Actor,
    person_id: int | None = None,
    status: str | None = None,
    waiting_for_review: bool = False,
    period_from: date | None = None,
    period_to: date | None = None,
) -> QuerySet[CheckIn]:
    """Check-ins the actor may read: their own and those of everyone below them."""
    checkins = _checkin_queryset().filter(checkin_visible_q(actor))
    if person_id:
        checkins = checkins.filter(person_id=person_id)
    if status:
        checkins = checkins.filter(status=status)
    if waiting_for_review:
        checkins = checkins.filter(status=CheckIn.Status.SUBMITTED).exclude(person=actor)  # type: ignore[misc]
    if period_from:
        checkins = checkins.filter(period_end__gte=period_from)
    if period_to:
        checkins = checkins.filter(period_start__lte=period_to)
    return checkins


def checkins_waiting_for_review(*, actor: Actor) -> QuerySet[CheckIn]:
    """Submitted, unreviewed check-ins of the actor's direct reports, oldest first."""
    return (
        _checkin_queryset()
        .filter(person__manager=actor, status=CheckIn.Status.SUBMITTED)  # type: ignore[misc]
        .order_by("submitted_at", "id")
    )


def checkin_lookup(*, checkin_id: int | str) -> CheckIn:
    """A check-in of the active organization, whoever may read it (404 otherwise)."""
    try:
        return _checkin_queryset().get(pk=_as_int(checkin_id))
    except CheckIn.DoesNotExist:
        raise Http404("No such check-in.") from None


def checkin_get(*, actor: Actor, checkin_id: int | str) -> CheckIn:
    """A check-in the actor may read; 404 otherwise (also for another organization's)."""
    checkin = checkin_lookup(checkin_id=checkin_id)
    if not policies.can_view_checkin(actor, checkin):
        raise Http404("No such check-in.")
    return checkin


def checkin_covering(*, person: Membership, day: date) -> CheckIn | None:
    return (
        _checkin_queryset()
        .filter(person=person, period_start__lte=day, period_end__gte=day)
        .first()
    )


def latest_checkin_end(*, person: Membership) -> date | None:
    latest = (
        CheckIn.objects.filter(person=person).order_by("-period_end").values("period_end").first()
    )
    return latest["period_end"] if latest else None


def current_period(*, person: Membership, day: date) -> Period:
    """The period of the person's check-in covering `day`, existing or to be started."""
    existing = checkin_covering(person=person, day=day)
    if existing is not None:
        return Period(existing.period_start, existing.period_end, existing.due_on)
    return period_for(cadence_for(person), day, latest_checkin_end(person=person))


def checkin_preview(*, person: Membership, day: date) -> CheckIn:
    """The person's check-in covering `day`, or an unsaved one to show (GET stays safe;
    `services.checkin_current` starts it when the person saves)."""
    existing = checkin_covering(person=person, day=day)
    if existing is not None:
        return existing
    cadence = cadence_for(person)
    period = current_period(person=person, day=day)
    return CheckIn(
        person=person,
        period_start=period.start,
        period_end=period.end,
        due_on=period.due_on,
        questions=list(cadence.questions),
        answers=["" for _ in cadence.questions],
    )


def readable_goal_ids(*, actor: Actor, ids: set[int]) -> set[int]:
    """Which of these goal ids the actor may read, in one query (none asked when empty)."""
    from goals.selectors import visible_goals

    if not ids:
        return set()
    return set(visible_goals(actor=actor).filter(pk__in=ids).values_list("pk", flat=True))


def checkin_goals_visible(*, actor: Actor, checkin: CheckIn) -> list[Any]:
    """The check-in's linked goals that the actor may read (goals have their own rules)."""
    from goals.selectors import visible_goals

    ids = [goal.pk for goal in checkin.goals.all()]
    if not ids:
        return []
    return list(visible_goals(actor=actor).filter(pk__in=ids))


def last_checkins_for(people: Iterable[Membership]) -> dict[int, CheckIn]:
    """Each person's latest submitted (or reviewed) check-in, keyed by person id.

    One query for any number of people (for the manager's team page). The caller decides
    whether the viewer may see them; everyone in a manager's team page is in their chain.
    """
    ids = [person.pk for person in people]
    if not ids:
        return {}
    latest = (
        CheckIn.objects.filter(person_id__in=ids)
        .exclude(status=CheckIn.Status.DRAFT)
        .order_by("person_id", "-period_start", "-id")
        .distinct("person_id")
    )
    return {checkin.person_id: checkin for checkin in latest}


# Feedback ------------------------------------------------------------------------------


def feedback_visible_q(actor: Actor) -> Q:
    """The feedback the actor may read (policies.can_view_feedback for a whole list)."""
    if not policies.is_person(actor):
        return Q(pk__in=[])
    below = report_ids(manager=actor)  # type: ignore[arg-type]
    return (
        Q(giver=actor)
        | Q(recipient=actor, visibility__in=policies.RECIPIENT_READS)
        | Q(recipient_id__in=below, visibility__in=policies.MANAGERS_READ)
    )


def _feedback_queryset() -> QuerySet[Feedback]:
    return Feedback.objects.select_related("giver__user", "recipient__user", "request")


FEEDBACK_DIRECTIONS = ("received", "given", "team", "all")


def feedback_list(
    *,
    actor: Actor,
    direction: str = "all",
    person_id: int | None = None,
    visibility: str | None = None,
    since: datetime | None = None,
) -> QuerySet[Feedback]:
    """Feedback the actor may read. `direction`: received (about me, that I may read), given
    (by me), team (about people below me), all. `person_id`: about that person."""
    feedback = _feedback_queryset().filter(feedback_visible_q(actor))
    if direction == "received":
        feedback = feedback.filter(recipient=actor)  # type: ignore[misc]
    elif direction == "given":
        feedback = feedback.filter(giver=actor)  # type: ignore[misc]
    elif direction == "team":
        feedback = feedback.exclude(recipient=actor).exclude(giver=actor)  # type: ignore[misc]
    if person_id:
        feedback = feedback.filter(recipient_id=person_id)
    if visibility:
        feedback = feedback.filter(visibility=visibility)
    if since:
        feedback = feedback.filter(created_at__gte=since)
    return feedback


def feedback_lookup(*, feedback_id: int | str) -> Feedback:
    try:
        return _feedback_queryset().get(pk=_as_int(feedback_id))
    except Feedback.DoesNotExist:
        raise Http404("No such feedback.") from None


def feedback_get(*, actor: Actor, feedback_id: int | str) -> Feedback:
    feedback = feedback_lookup(feedback_id=feedback_id)
    if not policies.can_view_feedback(actor, feedback):
        raise Http404("No such feedback.")
    return feedback


@dataclass(frozen=True)
class FeedbackCounts:
    given: int = 0
    received: int = 0


def feedback_counts_for(
    people: Iterable[Membership], *, since: datetime, viewer: Membership | None = None
) -> dict[int, FeedbackCounts]:
    """Feedback given and received since `since`, per person id, in two queries.

    With `viewer`, only feedback the viewer may read is counted (use this on pages: a count
    of someone's private feedback would tell a manager it exists). Without, everything is
    counted (for aggregate analytics only).
    """
    ids = [person.pk for person in people]
    if not ids:
        return {}
    base = Feedback.objects.filter(created_at__gte=since)
    if viewer is not None:
        base = base.filter(feedback_visible_q(viewer))
    given = dict(
        base.filter(giver_id__in=ids)
        .values_list("giver_id")
        .annotate(n=Count("id"))
        .values_list("giver_id", "n")
    )
    received = dict(
        base.filter(recipient_id__in=ids)
        .values_list("recipient_id")
        .annotate(n=Count("id"))
        .values_list("recipient_id", "n")
    )
    return {pk: FeedbackCounts(given=given.get(pk, 0), received=received.get(pk, 0)) for pk in ids}


def chain_managers(*, person: Membership) -> list[Membership]:
    """The person's managers, nearest first (who reads their shared feedback)."""
    from perfmgmt.tenancy.selectors import manager_chain_ids

    ids = manager_chain_ids(membership=person)
    managers = {
        manager.pk: manager
        for manager in Membership.objects.filter(pk__in=ids).select_related("user")
    }
    ordered, current = [], person.manager_id
    while current in managers and managers[current] not in ordered:
        ordered.append(managers[current])
        current = managers[current].manager_id
    return ordered


# Feedback requests ---------------------------------------------------------------------


def _request_queryset() -> QuerySet[FeedbackRequest]:
    return FeedbackRequest.objects.select_related(
        "requester__user", "subject__user"
    ).prefetch_related(
        Prefetch("asks", queryset=FeedbackAsk.objects.select_related("person__user", "feedback"))
    )


def feedback_request_list(
    *, actor: Actor, role: str = "all", status: str | None = None
) -> QuerySet[FeedbackRequest]:
    """Requests the actor made (`role="made"`), was asked in (`"asked"`), or both."""
    if not policies.is_person(actor):
        return FeedbackRequest.objects.none()
    made = Q(requester=actor)
    asked = Q(asks__person=actor)
    condition = {"made": made, "asked": asked}.get(role, made | asked)
    requests = _request_queryset().filter(condition)
    if status:
        requests = requests.filter(asks__person_id=actor.pk, asks__status=status)
    return requests.distinct()


def feedback_request_lookup(*, request_id: int | str) -> FeedbackRequest:
    try:
        return _request_queryset().get(pk=_as_int(request_id))
    except FeedbackRequest.DoesNotExist:
        raise Http404("No such feedback request.") from None


def feedback_request_get(*, actor: Actor, request_id: int | str) -> FeedbackRequest:
    request = feedback_request_lookup(request_id=request_id)
    if not policies.can_view_feedback_request(actor, request):
        raise Http404("No such feedback request.")
    return request


def ask_of(request: FeedbackRequest, person: Membership) -> FeedbackAsk | None:
    """The person's own ask in a request (from the prefetched asks)."""
    return next((ask for ask in request.asks.all() if ask.person_id == person.pk), None)


def visible_asks(actor: Actor, request: FeedbackRequest) -> list[FeedbackAsk]:
    """The requester sees every asked person's status; an asked person only their own."""
    asks = list(request.asks.all())
    if request.requester_id == actor.pk:
        return asks
    return [ask for ask in asks if ask.person_id == actor.pk]


def pending_asks(*, person: Membership) -> QuerySet[FeedbackAsk]:
    return FeedbackAsk.objects.filter(
        person=person, status=FeedbackAsk.Status.PENDING
    ).select_related("request__requester__user", "request__subject__user")


# Coaching records ----------------------------------------------------------------------


def _coaching_queryset() -> QuerySet[CoachingRecord]:
    return CoachingRecord.objects.select_related("manager__user", "person__user")


def coaching_visible_q(actor: Actor) -> Q:
    if not policies.is_person(actor):
        return Q(pk__in=[])
    below = report_ids(manager=actor)  # type: ignore[arg-type]
    return Q(person=actor) | Q(person_id__in=below) | Q(manager=actor)


def coaching_record_list(*, actor: Actor, person_id: int | None = None) -> QuerySet[CoachingRecord]:
    records = _coaching_queryset().filter(coaching_visible_q(actor))
    if person_id:
        records = records.filter(person_id=person_id)
    return records


def coaching_records_for(*, actor: Actor, person: Membership) -> QuerySet[CoachingRecord]:
    """The coaching records about `person` that `actor` may read, newest first.

    For the development plan page: empty when the actor may not read them (the person,
    their manager chain and each record's author may).
    """
    return coaching_record_list(actor=actor, person_id=person.pk)


def coaching_record_lookup(*, record_id: int | str) -> CoachingRecord:
    try:
        return _coaching_queryset().get(pk=_as_int(record_id))
    except CoachingRecord.DoesNotExist:
        raise Http404("No such coaching record.") from None


def coaching_record_get(*, actor: Actor, record_id: int | str) -> CoachingRecord:
    record = coaching_record_lookup(record_id=record_id)
    if not policies.can_view_coaching_record(actor, record):
        raise Http404("No such coaching record.")
    return record


def coaching_follow_ups_due(
    *, person: Membership, manager: Membership, before: date
) -> QuerySet[CoachingRecord]:
    """Coaching records `manager` wrote about `person` whose follow-up date is on or before
    `before`, oldest first: what the next 1:1 between them should come back to.

    Not filtered by viewer: the 1:1's two sides are exactly the person and the author.
    """
    return (
        _coaching_queryset()
        .filter(person=person, manager=manager, follow_up_on__lte=before)
        .order_by("follow_up_on", "id")
    )


def active_people() -> QuerySet[Membership]:
    return Membership.objects.filter(status=MembershipStatus.ACTIVE).select_related("user")
