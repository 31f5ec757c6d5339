"""Feedback requests and their asks: those the actor made or was asked in, and which asks
each side sees."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from perfmgmt.ids import object_id
from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.policies import Actor, person_of

from .. import policies
from ..models import FeedbackAsk, FeedbackRequest


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
    person = person_of(actor)
    if person is None:
        return FeedbackRequest.objects.none()
    made = Q(requester=person)
    asked = Q(asks__person=person)
    condition = {"made": made, "asked": asked}.get(role, made | asked)
    requests = _request_queryset().filter(condition)
    if status:
        requests = requests.filter(asks__person_id=person.pk, asks__status=status)
    return requests.distinct()


def feedback_request_lookup(*, request_id: int | str) -> FeedbackRequest:
    try:
        return _request_queryset().get(pk=object_id(request_id))
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
