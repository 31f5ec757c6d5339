"""Feedback requests and their asks: those the actor made or was asked in, and which asks
each side sees."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
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


def _shown_asks(person: Membership) -> Prefetch:
    """The asks the person sees on each request, as `shown_asks` (one query for a page): the
    requester sees every asked person's status; an asked person only their own."""
    asks = FeedbackAsk.objects.filter(Q(request__requester=person) | Q(person=person))
    return Prefetch("asks", queryset=asks.select_related("person__user"), to_attr="shown_asks")


def feedback_request_list(
    *,
    actor: Actor,
    role: str = "all",
    status: str | None = None,
    subject_id: int | None = None,
) -> QuerySet[FeedbackRequest]:
    """Requests the actor made (`role="made"`), was asked in (`"asked"`), or both, each
    with the asks the actor sees (`shown_asks`); `status` is that of the actor's own ask,
    `subject_id` the person the feedback is about."""
    person = person_of(actor)
    if person is None:
        return FeedbackRequest.objects.none()
    made = Q(requester=person)
    asked = Q(asks__person=person)
    condition = {"made": made, "asked": asked}.get(role, made | asked)
    requests = _request_queryset().filter(condition)
    if status:
        requests = requests.filter(asks__person_id=person.pk, asks__status=status)
    if subject_id is not None:
        requests = requests.filter(subject_id=subject_id)
    return requests.distinct().prefetch_related(_shown_asks(person))


def feedback_request_lookup(*, request_id: int | str) -> FeedbackRequest:
    try:
        return _request_queryset().get(pk=object_id(request_id))
    except FeedbackRequest.DoesNotExist:
        raise Http404("No such feedback request.") from None


def feedback_request_get(*, actor: Actor, request_id: int | str) -> FeedbackRequest:
    """A request the actor made or was asked in, with the asks they see (`shown_asks`)."""
    request = feedback_request_lookup(request_id=request_id)
    person = person_of(actor)
    if person is None or not policies.can_view_feedback_request(person, request):
        raise Http404("No such feedback request.")
    prefetch_related_objects([request], _shown_asks(person))
    return request


def ask_of(request: FeedbackRequest, person: Membership) -> FeedbackAsk | None:
    """The person's own ask in a request (from the prefetched asks)."""
    return next((ask for ask in request.asks.all() if ask.person_id == person.pk), None)


def pending_asks(*, person: Membership) -> QuerySet[FeedbackAsk]:
    return FeedbackAsk.objects.filter(
        person=person, status=FeedbackAsk.Status.PENDING
    ).select_related("request__requester__user", "request__subject__user")
