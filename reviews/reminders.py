"""The review cycle's sweep and reminders (run per organization by
perfmgmt/notifications/sweep.py).

`review-phases` stamps phases that have opened or closed, exactly once: one
`UPDATE ... WHERE opened_at IS NULL ... RETURNING` decides, so two sweeps at the same moment
stamp (and announce) a phase once. Instants are compared in UTC, so a phase HR set to close
at 17:00 in Berlin closes at 17:00 local on either side of a DST change.

The reminders (closing soon, a manager's digest of self-assessments to read, an
acknowledgement pending) leave out in SQL whoever already has the notification their key
names, so a repeated sweep costs the same few queries however large the cycle.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from django.db import connection, transaction
from django.db.models import CharField, Exists, F, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils.translation import gettext, ngettext

from perfmgmt.integrations.webhooks.events import emit
from perfmgmt.localization import format_moment
from perfmgmt.notifications.ledger import Due, deliver, keyset
from perfmgmt.notifications.models import Notification, subject_of
from perfmgmt.notifications.sweep import local_date_key, reminder
from perfmgmt.tenancy.models import Membership, Organization
from perfmgmt.web.links import optional_reverse

from .models import (
    CyclePhase,
    CycleStatus,
    Participant,
    PhaseKind,
    Review,
    ReviewCycle,
    ReviewerKind,
    ReviewStatus,
)
from .phases import WRITING_PHASES
from .selectors.progress import late_reviews
from .services.release import released_url


def _my_reviews(organization: Organization) -> str:
    """Where every review a person writes or waits for is listed with its next step."""
    return optional_reverse("reviews:mine", org_slug=organization.slug)


def _stamp(organization: Organization, stamp: str, instant: str, now: datetime) -> list[int]:
    """Stamp `stamp` on the phases of running cycles whose `instant` has passed; the ids of
    those this call stamped (none that another sweep stamped first)."""
    assert stamp in ("opened_at", "closed_at")
    assert instant in ("opens_at", "closes_at")
    phases, cycles = CyclePhase._meta.db_table, ReviewCycle._meta.db_table
    sql = (
        f"UPDATE {phases} SET {stamp} = %s "  # noqa: S608 (names from the models, checked above)
        f"WHERE organization_id = %s AND {stamp} IS NULL AND {instant} <= %s "
        f"AND cycle_id IN (SELECT id FROM {cycles} WHERE organization_id = %s AND status = %s) "
        "RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, organization.pk, now, organization.pk, CycleStatus.ACTIVE])
        return [row[0] for row in cursor.fetchall()]


def _open_reviews(phase: CyclePhase) -> Iterable[Review]:
    return (
        Review.objects.filter(
            participant__cycle_id=phase.cycle_id, kind=phase.kind, superseded_at=None
        )
        .exclude(status=ReviewStatus.SUBMITTED)
        .select_related("author__user", "participant")
    )


def _by_author(reviews: Iterable[Review]) -> dict[Membership, list[Review]]:
    grouped: dict[Membership, list[Review]] = defaultdict(list)
    for review in reviews:
        grouped[review.author].append(review)
    return grouped


def _announce(organization: Organization, phase: CyclePhase, event: str, now: datetime) -> int:
    """Tell each writer of the phase it opened (or closed without their review): one
    notification per person, a manager's reports in one digest."""
    if phase.kind not in WRITING_PHASES:
        return 0
    reviews = list(_open_reviews(phase))
    if event == "closed":
        extension = WRITING_PHASES[PhaseKind(phase.kind)]
        reviews = [
            review
            for review in reviews
            if (getattr(review.participant, extension) or phase.closes_at) <= phase.closes_at
        ]
    return deliver(
        Due(
            recipient=author,
            kind=f"review-phase-{event}",
            key=f"review-phase-{event}:{phase.pk}",
            texts=partial(_announcement, phase, event, len(written)),
            url=_my_reviews(organization),
            subject=subject_of(phase.cycle),
        )
        for author, written in _by_author(reviews).items()
    )


def _announcement(phase: CyclePhase, event: str, count: int) -> tuple[str, str]:
    values = {"cycle": phase.cycle.name, "when": format_moment(phase.closes_at), "count": count}
    if phase.kind == PhaseKind.SELF and event == "opened":
        title = gettext("Your self-assessment in %(cycle)s is open")
        body = gettext("Write it by %(when)s.")
    elif phase.kind == PhaseKind.SELF:
        title = gettext("The self-assessment phase of %(cycle)s has closed")
        body = gettext("Your self-assessment was not submitted. Ask HR if you need more time.")
    elif event == "opened":
        title = gettext("Manager reviews in %(cycle)s are open")
        body = ngettext(
            "You have %(count)d review to write by %(when)s.",
            "You have %(count)d reviews to write by %(when)s.",
            count,
        )
    else:
        title = gettext("The manager review phase of %(cycle)s has closed")
        body = ngettext(
            "%(count)d of your reviews was not submitted. Ask HR if you need more time.",
            "%(count)d of your reviews were not submitted. Ask HR if you need more time.",
            count,
        )
    return title % values, body % values


@reminder("review-phases")
def review_phases(organization: Organization, now: datetime) -> int:
    """Stamp and announce the phases that opened, then those that closed, once each."""
    sent = 0
    opened = _stamp_and_emit(organization, "opened_at", "opens_at", now)
    for phase in opened:
        if now < phase.closes_at:  # one that opened and closed unseen is only stamped closed
            sent += _announce(organization, phase, "opened", now)
    for phase in _stamp_and_emit(organization, "closed_at", "closes_at", now):
        sent += _announce(organization, phase, "closed", now)
    return sent


def _stamp_and_emit(
    organization: Organization, stamp: str, instant: str, now: datetime
) -> list[CyclePhase]:
    """Stamp the phases (see `_stamp`) and write their webhook events in one transaction, so
    a phase is never stamped without its event (nor the event sent for an unstamped one)."""
    event = "cycle.phase_opened" if stamp == "opened_at" else "cycle.phase_closed"
    with transaction.atomic():
        ids = _stamp(organization, stamp, instant, now)
        phases = list(CyclePhase.objects.filter(pk__in=ids).select_related("cycle"))
        for phase in phases:
            emit(event, resource=phase)
    return phases


def _active_cycles() -> list[ReviewCycle]:
    return list(
        ReviewCycle.objects.filter(status=CycleStatus.ACTIVE, remind_days_before_close__gt=0)
    )


def _not_notified(recipient: str, key: object) -> Any:
    return ~Exists(Notification.objects.filter(recipient_id=OuterRef(recipient), key=key))


@reminder("review-closing-soon")
def review_closing_soon(organization: Organization, now: datetime) -> int:
    """A writer whose deadline (counting their extension) is within the cycle's reminder
    days and who has not submitted: once per person per phase."""
    sent = 0
    for cycle in _active_cycles():
        phases = {phase.kind: phase for phase in CyclePhase.objects.filter(cycle=cycle)}
        for kind, phase in phases.items():
            if kind not in WRITING_PHASES:
                continue
            key = f"review-closing-soon:{phase.pk}"
            reviews = (
                late_reviews(cycle=cycle, now=now)
                .filter(kind=kind, deadline__gt=now)  # type: ignore[misc]
                .filter(_not_notified("author_id", key))
            )
            sent += deliver(
                Due(
                    recipient=author,
                    kind="review-closing-soon",
                    key=key,
                    texts=partial(_closing_texts, kind, cycle, written),
                    url=_my_reviews(organization),
                    subject=subject_of(cycle),
                )
                for author, written in _by_author(reviews).items()
            )
    return sent


def _closing_texts(kind: str, cycle: ReviewCycle, written: list[Review]) -> tuple[str, str]:
    deadline = min(review.deadline for review in written)  # type: ignore[attr-defined]
    body = gettext("Please submit by %(when)s.") % {"when": format_moment(deadline)}
    if kind == PhaseKind.SELF:
        title = gettext("Your self-assessment in %(cycle)s is due soon") % {"cycle": cycle.name}
        return title, body
    return ngettext(
        "%(count)d manager review in %(cycle)s is due soon",
        "%(count)d manager reviews in %(cycle)s are due soon",
        len(written),
    ) % {"count": len(written), "cycle": cycle.name}, body


SELF_READY = "review-self-ready"
# Before any digest: every self-assessment counts (a test clock may sit before the launch).
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


@reminder(SELF_READY)
def review_self_ready(organization: Organization, now: datetime) -> int:
    """A manager's digest, at most once a local day per cycle: their reports'
    self-assessments submitted since the last digest, whose manager review is still open."""
    day = local_date_key(now)
    sent = 0
    for cycle in ReviewCycle.objects.filter(status=CycleStatus.ACTIVE):
        prefix = f"{SELF_READY}:{cycle.pk}:"
        last_digest = (
            Notification.objects.filter(
                recipient_id=OuterRef("participant__manager_id"), key__startswith=prefix
            )
            .values("recipient_id")
            .annotate(last=Max("created_at"))
            .values("last")
        )
        ready = (
            Review.objects.filter(
                participant__cycle=cycle,
                kind=ReviewerKind.SELF,
                status=ReviewStatus.SUBMITTED,
                superseded_at=None,
                participant__manager__isnull=False,
            )
            .filter(
                Exists(
                    Review.objects.filter(
                        participant_id=OuterRef("participant_id"),
                        kind=ReviewerKind.MANAGER,
                        superseded_at=None,
                    ).exclude(status=ReviewStatus.SUBMITTED)
                )
            )
            .annotate(since=Coalesce(Subquery(last_digest), Value(EARLIEST)))
            .filter(submitted_at__gt=F("since"))
            .filter(_not_notified("participant__manager_id", prefix + day))
            .select_related("participant__manager__user", "participant__reviewee")
        )
        digests: dict[Membership, list[Review]] = defaultdict(list)
        for review in ready:
            manager = review.participant.manager
            assert manager is not None
            digests[manager].append(review)
        sent += deliver(
            Due(
                recipient=manager,
                kind=SELF_READY,
                key=prefix + day,
                texts=partial(_ready_texts, cycle, reviews),
                url=_my_reviews(organization),
                subject=subject_of(cycle),
            )
            for manager, reviews in digests.items()
        )
    return sent


def _ready_texts(cycle: ReviewCycle, reviews: list[Review]) -> tuple[str, str]:
    names = ", ".join(sorted(review.participant.reviewee.display_name for review in reviews))
    title = ngettext(
        "%(count)d self-assessment in %(cycle)s is ready to read",
        "%(count)d self-assessments in %(cycle)s are ready to read",
        len(reviews),
    ) % {"count": len(reviews), "cycle": cycle.name}
    return title, gettext("Submitted by: %(names)s") % {"names": names}


ACK_PENDING = "review-acknowledge-pending"


@reminder(ACK_PENDING)
def review_acknowledge_pending(organization: Organization, now: datetime) -> int:
    """A released review not acknowledged: reminded once N days after release (N: the
    cycle's reminder days) and once more after 2N days, never again (the release itself
    was announced when it happened). Not after the acknowledgement phase has closed."""
    sent = 0
    for cycle in _active_cycles():
        period = timedelta(days=cycle.remind_days_before_close)
        acknowledgement = CyclePhase.objects.filter(
            cycle=cycle, kind=PhaseKind.ACKNOWLEDGEMENT
        ).first()
        if acknowledgement is not None and now >= acknowledgement.closes_at:
            continue
        for number, released_window in (
            (1, Q(released_at__lte=now - period, released_at__gt=now - 2 * period)),
            (2, Q(released_at__lte=now - 2 * period)),
        ):
            key = Concat(
                Value(f"{ACK_PENDING}:"),
                Cast(OuterRef("pk"), CharField()),
                Value(f":{number}"),
                output_field=CharField(),
            )
            pending = (
                Participant.objects.filter(cycle=cycle, acknowledged_at=None)
                .filter(released_window)
                .filter(_not_notified("reviewee_id", key))
                .select_related("reviewee__user", "cycle", "organization")
            )
            sent += deliver(_acknowledgement_due(p, number) for p in keyset(pending))
    return sent


def _acknowledgement_due(participant: Participant, number: int) -> Due:
    return Due(
        recipient=participant.reviewee,
        kind=ACK_PENDING,
        key=f"{ACK_PENDING}:{participant.pk}:{number}",
        texts=partial(_acknowledgement_texts, participant),
        url=released_url(participant),
        subject=subject_of(participant),
    )


def _acknowledgement_texts(participant: Participant) -> tuple[str, str]:
    title = gettext("Please acknowledge your review in %(cycle)s") % {
        "cycle": participant.cycle.name
    }
    body = gettext(
        "Your review was released on %(when)s. Acknowledging it records that you have "
        "read it and agree on what happens next."
    ) % {"when": format_moment(participant.released_at)}
    return title, body


# Peer and upward feedback's reminders live in their own module (registered on import).
from . import peer_reminders  # noqa: E402, F401

# Calibration (s19/finish): a session opened, sessions not locked while the phase closes.
from .calibration_reminders import calibration_sessions_unlocked  # noqa: E402, F401

# Improvement plan reviews (s19/pips): their producer lives beside the plans.
from .plan_reminders import improvement_plan_reviews_due  # noqa: E402, F401

# Retrospectives: opened as a cycle ends, and the people they ask told once each.
from .retrospective_reminders import review_retrospectives  # noqa: E402, F401
