"""Feedback: who may read which, lists by direction, and counts per person.

The giver reads what they gave; the recipient and their manager chain read it as its
visibility allows, managers only what was written while their line existed
(`policies.can_view_feedback` for one object, `feedback_visible_q` for a list or a count).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from perfmgmt.ids import object_id
from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.policies import Actor, person_of
from perfmgmt.tenancy.selectors import people_for_in

from .. import policies
from ..models import Feedback
from ..reporting_lines import lines_over, written_below
from .people import chain_managers


def feedback_visible_q(actor: Actor) -> Q:
    """The feedback the actor may read (policies.can_view_feedback for a whole list)."""
    person = person_of(actor)
    if person is None:
        return Q(pk__in=[])
    below = written_below(reader=person, person_field="recipient")
    return (
        Q(giver=person)
        | Q(recipient=person, visibility__in=policies.RECIPIENT_READS)
        | (below & Q(visibility__in=policies.MANAGERS_READ))
    )


def _feedback_queryset() -> QuerySet[Feedback]:
    return Feedback.objects.select_related("giver__user", "recipient__user", "request")


FEEDBACK_DIRECTIONS = ("received", "given", "team", "all")


def feedback_list(
    *,
    actor: Actor,
    direction: str = "all",
    recipient_id: int | None = None,
    giver_id: int | None = None,
    visibility: str | None = None,
    since: datetime | None = None,
) -> QuerySet[Feedback]:
    """Feedback the actor may read. `direction`: received (about me, that I may read), given
    (by me), team (about people below me), all. `recipient_id`: about that person;
    `giver_id`: given by that person."""
    return _filtered(
        _feedback_queryset(),
        actor=actor,
        direction=direction,
        recipient_id=recipient_id,
        giver_id=giver_id,
        visibility=visibility,
        since=since,
    )


def feedback_rows(*, actor: Actor, **filters: Any) -> QuerySet[Any]:
    """`feedback_list` for the API's list, which reads its ids and what the read audit is
    told (`feedback_of_rows`), and has PostgreSQL write the page
    (`serializers.FEEDBACK_JSON`)."""
    return _filtered(Feedback.objects.all(), actor=actor, **filters)


class FeedbackRow(NamedTuple):
    """A feedback of a list page as the read audit takes it (`ShownFeedback`)."""

    pk: int
    visibility: str
    giver_id: int
    recipient_id: int


def feedback_of_rows(rows: Iterable[Any]) -> list[FeedbackRow]:
    """Rows of `feedback_rows` as the read audit takes feedback, so auditing a page asks
    nothing more (and builds no model instance per row: that cost more than writing the
    page)."""
    return [
        FeedbackRow(row["id"], row["visibility"], row["giver_id"], row["recipient_id"])
        for row in rows
    ]


def _filtered(
    feedback: QuerySet[Any],
    *,
    actor: Actor,
    direction: str = "all",
    recipient_id: int | None = None,
    giver_id: int | None = None,
    visibility: str | None = None,
    since: datetime | None = None,
) -> QuerySet[Any]:
    feedback = feedback.filter(feedback_visible_q(actor))
    if direction == "received":
        feedback = feedback.filter(recipient=actor)
    elif direction == "given":
        feedback = feedback.filter(giver=actor)
    elif direction == "team":
        feedback = feedback.exclude(recipient=actor).exclude(giver=actor)
    if recipient_id:
        feedback = feedback.filter(recipient_id=recipient_id)
    if giver_id:
        feedback = feedback.filter(giver_id=giver_id)
    if visibility:
        feedback = feedback.filter(visibility=visibility)
    if since:
        feedback = feedback.filter(created_at__gte=since)
    return feedback


def feedback_lookup(*, feedback_id: int | str) -> Feedback:
    try:
        return _feedback_queryset().get(pk=object_id(feedback_id))
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
    """Feedback given and received since `since`, per person id (people with none are left
    out), in two queries.

    With `viewer`, only feedback the viewer may read is counted (use this on pages: a count
    of someone's private feedback would tell a manager it exists). Without, everything is
    counted (for aggregate analytics only).
    """
    ids = people_for_in(people)
    if not isinstance(ids, QuerySet) and not ids:
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
    return {
        pk: FeedbackCounts(given=given.get(pk, 0), received=received.get(pk, 0))
        for pk in given.keys() | received.keys()
    }


def feedback_about(*, viewer: Membership, since: datetime, **person: Any) -> QuerySet[Feedback]:
    """Feedback since `since` the viewer may read, given or received by `person`
    (`giver=OuterRef("pk")` or `recipient=...`): for a correlated count per row of a list,
    the same rule as `feedback_counts_for` with a viewer."""
    return Feedback.objects.filter(feedback_visible_q(viewer), created_at__gte=since, **person)


def feedback_readers(
    *,
    recipient: Membership,
    visibility: str,
    giver: Membership | None = None,
    written_at: datetime | None = None,
) -> list[Membership]:
    """Who besides the giver can read a feedback, each once, nearest first: the recipient
    (as the visibility allows), then their managers up the chain.

    Before writing (`written_at` None) that is everyone in the chain now; for feedback
    written at `written_at`, only the managers whose line over the recipient existed then
    (`policies.can_view_feedback`). Two queries, whatever the length of the chain.
    """
    readers: list[Membership] = []
    if visibility in policies.RECIPIENT_READS:
        readers.append(recipient)
    if visibility in policies.MANAGERS_READ:
        managers = chain_managers(person=recipient)
        if written_at is not None:
            since = lines_over(person=recipient)
            managers = [m for m in managers if m.pk in since and since[m.pk] <= written_at]
        readers.extend(managers)
    seen = {giver.pk} if giver is not None else set()
    unique = []
    for reader in readers:
        if reader.pk not in seen:
            seen.add(reader.pk)
            unique.append(reader)
    return unique
