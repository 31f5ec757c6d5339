"""Coaching records: who may read which, and the follow-ups a 1:1 should come back to.

The person, each record's author and their manager chain (what was written while the
line existed) read a record (`policies.can_view_coaching_record` for one object,
`coaching_visible_q` for a list).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from perfmgmt.ids import object_id
from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.policies import Actor, person_of

from .. import policies
from ..models import CoachingRecord
from ..reporting_lines import written_below


def _coaching_queryset() -> QuerySet[CoachingRecord]:
    return CoachingRecord.objects.select_related("manager__user", "person__user")


def coaching_visible_q(actor: Actor) -> Q:
    person = person_of(actor)
    if person is None:
        return Q(pk__in=[])
    below = written_below(reader=person, person_field="person")
    return Q(person=person) | Q(manager=person) | below


def coaching_record_list(
    *, actor: Actor, person_id: int | None = None, follow_up_before: date | None = None
) -> QuerySet[CoachingRecord]:
    records = _coaching_queryset().filter(coaching_visible_q(actor))
    if person_id:
        records = records.filter(person_id=person_id)
    if follow_up_before is not None:
        records = records.filter(follow_up_on__lte=follow_up_before)
    return records


def coaching_records_for(
    *, actor: Actor, person: Membership, limit: int = 20
) -> list[CoachingRecord]:
    """The latest `limit` coaching records about `person` that `actor` may read, newest
    first, for another app's page (the development plan): empty when the actor may not
    read them. What the actor reads as a manager is audited, as on the coaching pages.
    """
    from ..services import manager_content_read  # services import the selectors

    records = list(coaching_record_list(actor=actor, person_id=person.pk)[:limit])
    manager_content_read(actor=actor, coaching_records=records)
    return records


def coaching_record_lookup(*, record_id: int | str) -> CoachingRecord:
    try:
        return _coaching_queryset().get(pk=object_id(record_id))
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
