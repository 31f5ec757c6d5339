"""Praise received, as evidence a reviewer sees while writing a review (reviews' hook:
reviews.evidence.register_evidence), read through the feed's own selector."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from perfmgmt.tenancy.policies import Actor
from perfmgmt.web.links import optional_reverse
from reviews.evidence import EvidenceItem, cited_or_in_period, register_evidence
from reviews.models import Participant

from .selectors import praise_list


def _praise_items(
    actor: Actor, participant: Participant, slug: str, ids: Iterable[int] = ()
) -> tuple[Any, Callable[[Any], EvidenceItem]]:
    cycle = participant.cycle
    praise = praise_list(actor=actor, person_id=participant.reviewee_id).prefetch_related(None)
    in_period = Q(created_at__date__range=(cycle.period_start, cycle.period_end))
    praise = cited_or_in_period(praise, ids, in_period)

    def item(row: Any) -> EvidenceItem:
        return EvidenceItem(
            ref=f"praise:{row.pk}",
            label=_("Praise from %(name)s") % {"name": row.giver.display_name},
            url=optional_reverse("rewards:praise_detail", org_slug=slug, praise_id=row.pk),
            at=row.created_at,
            detail=(f"{row.value.name}: " if row.value is not None else "") + row.message[:200],
        )

    return praise.order_by("-created_at", "-id"), item


def _more(slug: str, participant: Participant) -> str:
    return optional_reverse(
        "rewards:praise_feed", org_slug=slug, query=f"person={participant.reviewee_id}"
    )


def register() -> None:
    register_evidence(
        "praise", title=lambda: _("Praise received"), reader=_praise_items, more=_more
    )
