"""Reminders of peer and upward feedback (run by the sweep, imported by reviews.reminders).

Nominations waiting for a manager's approval, feedback requests to answer, and the peer
phase closing soon. Each names only the recipient's own to-do: never who else answered,
nor how many did. The notification's key holds the day (or the phase), and whoever already
has it is left out in SQL, so a repeated sweep sends nothing twice.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext, ngettext

from perfmgmt.localization import format_moment
from perfmgmt.notifications.ledger import Due, deliver
from perfmgmt.notifications.models import Notification, subject_of
from perfmgmt.notifications.sweep import local_date_key, reminder
from perfmgmt.tenancy.models import Membership, Organization
from perfmgmt.web.links import optional_reverse

from .models import (
    PRIVATE_AUTHOR_KINDS,
    CyclePhase,
    CycleStatus,
    NominationStatus,
    PeerNomination,
    PhaseKind,
    Review,
    ReviewStatus,
)

TO_APPROVE, TO_ANSWER, CLOSING = "peer-nominations", "peer-requests", "peer-closing"


def _open_peer_phases(now: datetime) -> list[CyclePhase]:
    """Peer phases of running cycles that have not closed."""
    return list(
        CyclePhase.objects.filter(
            kind=PhaseKind.PEER, closes_at__gt=now, cycle__status=CycleStatus.ACTIVE
        ).select_related("cycle")
    )


def _not_notified(recipient: str, key: str) -> Any:
    return ~Exists(Notification.objects.filter(recipient_id=OuterRef(recipient), key=key))


def _due(
    person: Membership, kind: str, key: str, texts: partial[tuple[str, str]], url: str, phase: Any
) -> Due:
    return Due(
        recipient=person, kind=kind, key=key, texts=texts, url=url, subject=subject_of(phase.cycle)
    )


@reminder(TO_APPROVE)
def peer_nominations_to_approve(organization: Organization, now: datetime) -> int:
    """A manager with nominations waiting: one digest a local day per cycle."""
    day = local_date_key(now)
    sent = 0
    for phase in _open_peer_phases(now):
        key = f"{TO_APPROVE}:{phase.cycle_id}:{day}"
        waiting = (
            PeerNomination.objects.filter(
                participant__cycle_id=phase.cycle_id,
                status=NominationStatus.NOMINATED,
                participant__manager__isnull=False,
            )
            .filter(_not_notified("participant__manager_id", key))
            .select_related("participant__manager__user")
        )
        counts = Counter(nomination.participant.manager for nomination in waiting)
        url = optional_reverse("reviews:peer_inbox", org_slug=organization.slug)
        sent += deliver(
            _due(manager, TO_APPROVE, key, partial(_approve_texts, phase, count), url, phase)
            for manager, count in counts.items()
            if manager is not None
        )
    return sent


def _approve_texts(phase: CyclePhase, count: int) -> tuple[str, str]:
    title = ngettext(
        "%(count)d peer nomination in %(cycle)s waits for your approval",
        "%(count)d peer nominations in %(cycle)s wait for your approval",
        count,
    ) % {"count": count, "cycle": phase.cycle.name}
    body = gettext("Approve, remove or add peers before %(when)s.") % {
        "when": format_moment(phase.closes_at)
    }
    return title, body


def _unanswered(phase: CyclePhase, key: str) -> Counter[Membership]:
    reviews = (
        Review.objects.filter(
            participant__cycle_id=phase.cycle_id,
            kind__in=PRIVATE_AUTHOR_KINDS,
            superseded_at=None,
        )
        .exclude(status=ReviewStatus.SUBMITTED)
        .filter(_not_notified("author_id", key))
        .select_related("author__user")
    )
    return Counter(review.author for review in reviews)


@reminder(TO_ANSWER)
def peer_requests_to_answer(organization: Organization, now: datetime) -> int:
    """A peer or direct report with feedback to write while the phase is open: once a
    local day per cycle."""
    day = local_date_key(now)
    sent = 0
    for phase in _open_peer_phases(now):
        if phase.opens_at > now:
            continue
        key = f"{TO_ANSWER}:{phase.cycle_id}:{day}"
        url = optional_reverse("reviews:peer_requests", org_slug=organization.slug)
        sent += deliver(
            _due(author, TO_ANSWER, key, partial(_answer_texts, phase, count), url, phase)
            for author, count in _unanswered(phase, key).items()
        )
    return sent


def _answer_texts(phase: CyclePhase, count: int) -> tuple[str, str]:
    title = ngettext(
        "%(count)d feedback request in %(cycle)s waits for your answer",
        "%(count)d feedback requests in %(cycle)s wait for your answers",
        count,
    ) % {"count": count, "cycle": phase.cycle.name}
    body = gettext("Please answer by %(when)s.") % {"when": format_moment(phase.closes_at)}
    return title, body


@reminder(CLOSING)
def peer_phase_closing(organization: Organization, now: datetime) -> int:
    """The peer phase closes within the cycle's reminder days: once per person per phase,
    to whoever still has feedback to write."""
    sent = 0
    for phase in _open_peer_phases(now):
        days = phase.cycle.remind_days_before_close
        if not days or phase.opens_at > now or phase.closes_at > now + timedelta(days=days):
            continue
        key = f"{CLOSING}:{phase.pk}"
        url = optional_reverse("reviews:peer_requests", org_slug=organization.slug)
        sent += deliver(
            _due(author, CLOSING, key, partial(_closing_texts, phase), url, phase)
            for author in _unanswered(phase, key)
        )
    return sent


def _closing_texts(phase: CyclePhase) -> tuple[str, str]:
    title = gettext("Peer feedback in %(cycle)s closes soon") % {"cycle": phase.cycle.name}
    return title, gettext("It closes on %(when)s.") % {"when": format_moment(phase.closes_at)}
