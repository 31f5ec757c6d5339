"""Per-person changes in a running cycle: late joiners, extensions, a reopened review, a
manager change. Each is audited; the person concerned is told. Nothing is ever deleted:
people who leave keep their participant and reviews."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from perfmgmt.audit.services import audit_record
from perfmgmt.errors import ConflictError, DomainError
from perfmgmt.localization import format_moment, reader_locale
from perfmgmt.notifications.services import notify
from perfmgmt.tenancy.models import Membership, MembershipStatus
from perfmgmt.tenancy.policies import Actor

from ...locks import lock_cycle, lock_participant, lock_reviews
from ...models import (
    CycleSnapshot,
    CycleStatus,
    Participant,
    PhaseKind,
    Review,
    ReviewCycle,
    ReviewerKind,
    ReviewStatus,
    ReviewTemplate,
)
from ...phases import WRITING_PHASES, window
from ...selectors.cycles import cycle_phases, template_for
from ...snapshots import template_snapshot
from ..peers.upward import upward_reviews_assign_late
from .configure import require_cycle_rights


def _home_url(organization_slug: str) -> str:
    return reverse("web:home", kwargs={"org_slug": organization_slug})


def _tell(person: Membership, key: str, title: str, body: str = "") -> None:
    notify(
        recipient=person,
        kind="review",
        key=key,
        title=title,
        body=body,
        url=_home_url(person.organization.slug),
    )


def _require_running(cycle: ReviewCycle) -> None:
    if cycle.status != CycleStatus.ACTIVE:
        raise ConflictError(_("This cycle is not running."))


def _active_manager(person: Membership) -> Membership | None:
    manager = person.manager
    return manager if manager is not None and manager.can_sign_in else None


def participant_add_late(
    *, actor: Actor, cycle: ReviewCycle, membership: Membership
) -> Participant:
    """Add someone to a running cycle (see `late_joiner_preview`): their template's copy,
    their self-assessment and, when they have a manager, the manager review. Adding someone
    already in changes nothing."""
    require_cycle_rights(actor)
    if membership.status == MembershipStatus.INVITED:
        raise DomainError(
            _("Invited people never take part in a cycle."),
            fields={"membership": [_("Only people who have joined can take part.")]},
        )
    with transaction.atomic():
        cycle = lock_cycle(cycle.pk)
        _require_running(cycle)
        existing = Participant.objects.filter(cycle=cycle, reviewee=membership).first()
        if existing is not None:
            return existing
        template_id = template_for(cycle, membership)
        snapshot = CycleSnapshot.objects.filter(cycle=cycle, source_template_id=template_id).first()
        if snapshot is None:
            template = ReviewTemplate.objects.get(pk=template_id)
            snapshot = CycleSnapshot.objects.create(
                cycle=cycle, source_template_id=template_id, data=template_snapshot(template)
            )
        manager = _active_manager(membership)
        participant = Participant.objects.create(
            cycle=cycle, reviewee=membership, manager=manager, snapshot=snapshot, added_late=True
        )
        kinds = {phase.kind for phase in cycle_phases(cycle)}
        if PhaseKind.SELF in kinds:
            Review.objects.create(
                participant=participant, kind=ReviewerKind.SELF, author=membership
            )
        if PhaseKind.MANAGER in kinds and manager is not None:
            Review.objects.create(
                participant=participant, kind=ReviewerKind.MANAGER, author=manager
            )
        upward = upward_reviews_assign_late(participant=participant)
        audit_record(
            actor=actor,
            action="review_participant.add_late",
            target=participant,
            changes={"upward_reviews": upward} if upward else None,
        )
        with reader_locale(user=membership.user, organization=cycle.organization):
            _tell(
                membership,
                f"review-added:{participant.pk}",
                _("You take part in the review cycle “%(name)s”") % {"name": cycle.name},
            )
    return participant


def _check_until(cycle: ReviewCycle, kind: str, until: datetime, field: str = "until") -> None:
    phase = window(cycle_phases(cycle), kind)
    if phase is None:
        raise DomainError(
            _("This cycle has no such phase."), fields={"kind": [_("Choose a phase it has.")]}
        )
    if until <= phase.closes_at:
        closes = format_moment(phase.closes_at)
        raise DomainError(
            _("An extension ends after the phase closes (%(closes)s).") % {"closes": closes},
            fields={
                field: [
                    _("Give a moment after the phase closes (%(closes)s).") % {"closes": closes}
                ]
            },
        )
    if until <= timezone.now():
        raise DomainError(
            _("An extension ends in the future."), fields={field: [_("Give a later date.")]}
        )


def participant_extend(
    *, actor: Actor, participant: Participant, kind: str, until: datetime
) -> Participant:
    """Give one person more time for their self-assessment (`kind` self) or their manager
    more time for the manager review (`kind` manager); later than the phase's closing."""
    require_cycle_rights(actor)
    if kind not in WRITING_PHASES:
        raise DomainError(
            _("Only the self-assessment and the manager review can be extended."),
            fields={"kind": [_("Choose self-assessment or manager review.")]},
        )
    with transaction.atomic():
        participant = lock_participant(participant.pk)
        _check_until(participant.cycle, kind, until)
        field = WRITING_PHASES[PhaseKind(kind)]
        old = getattr(participant, field)
        setattr(participant, field, until)
        participant.save(update_fields=[field])
        audit_record(
            actor=actor,
            action="review_participant.extend",
            target=participant,
            changes={field: [old.isoformat() if old else None, until.isoformat()]},
        )
        author = participant.reviewee if kind == PhaseKind.SELF else participant.manager
        if author is not None:
            with reader_locale(user=author.user, organization=participant.cycle.organization):
                _tell(
                    author,
                    f"review-extended:{participant.pk}:{kind}:{until:%Y%m%d%H%M}",
                    _("You have until %(until)s for a review in “%(name)s”")
                    % {"until": format_moment(until), "name": participant.cycle.name},
                )
    return participant


def review_reopen(*, actor: Actor, review: Review, reason: str, until: datetime) -> Review:
    """A submitted review back to its author as a draft, with a reason (audited) and a
    deadline for them alone so they can write again."""
    require_cycle_rights(actor)
    reason = reason.strip()
    if not reason:
        raise DomainError(
            _("Say why the review is reopened."), fields={"reason": [_("Give a reason.")]}
        )
    with transaction.atomic():
        participant = lock_participant(review.participant_id)
        review = next(row for row in lock_reviews(participant.pk) if row.pk == review.pk)
        if review.status != ReviewStatus.SUBMITTED:
            raise ConflictError(_("Only a submitted review can be reopened."))
        if review.superseded_at is not None or participant.released_at is not None:
            raise ConflictError(_("A released or replaced review cannot be reopened."))
        _check_until(participant.cycle, review.kind, until)
        review.status, review.submitted_at = ReviewStatus.DRAFT, None
        review.reopened_at = timezone.now()
        review.version += 1
        review.save(update_fields=["status", "submitted_at", "reopened_at", "version"])
        field = WRITING_PHASES[PhaseKind(review.kind)]
        setattr(participant, field, until)
        participant.save(update_fields=[field])
        audit_record(
            actor=actor,
            action="review.reopen",
            target=review,
            changes={"reason": [None, reason], field: [None, until.isoformat()]},
        )
        with reader_locale(user=review.author.user, organization=participant.cycle.organization):
            _tell(
                review.author,
                f"review-reopened:{review.pk}:{review.version}",
                _("Your review in “%(name)s” is open again until %(until)s")
                % {"name": participant.cycle.name, "until": format_moment(until)},
                reason,
            )
    return review


def participant_manager_change(
    *, actor: Actor, participant: Participant, new_manager: Membership | None
) -> Participant:
    """Who writes this participant's manager review from now on (see
    `manager_change_preview`). An open review moves: the old row is kept, superseded and
    labelled with its author, and the new manager gets a new one. A submitted review stays."""
    require_cycle_rights(actor)
    return _move_manager_review(actor=actor, participant=participant, new_manager=new_manager)


def _move_manager_review(
    *, actor: Actor | None, participant: Participant, new_manager: Membership | None
) -> Participant:
    if new_manager is not None and new_manager.pk == participant.reviewee_id:
        raise DomainError(
            _("Nobody writes their own manager review."),
            fields={"new_manager": [_("Choose someone else.")]},
        )
    with transaction.atomic():
        participant = lock_participant(participant.pk)
        if getattr(new_manager, "pk", None) == participant.manager_id:
            return participant
        if participant.released_at is not None:
            raise ConflictError(_("This review has been released."))
        reviews = lock_reviews(participant.pk)
        current = next(
            (r for r in reviews if r.kind == ReviewerKind.MANAGER and r.superseded_at is None),
            None,
        )
        old_manager_id = participant.manager_id
        moves = current is None or current.status != ReviewStatus.SUBMITTED
        if current is not None and moves:
            current.superseded_at = timezone.now()
            current.save(update_fields=["superseded_at"])
        if moves and new_manager is not None:
            has_phase = any(
                phase.kind == PhaseKind.MANAGER for phase in cycle_phases(participant.cycle)
            )
            if has_phase:
                Review.objects.create(
                    participant=participant, kind=ReviewerKind.MANAGER, author=new_manager
                )
        participant.manager = new_manager
        participant.save(update_fields=["manager"])
        audit_record(
            actor=actor,
            action="review_participant.manager_change",
            target=participant,
            changes={"manager": [old_manager_id, getattr(new_manager, "pk", None)]},
        )
        if new_manager is not None and moves:
            with reader_locale(user=new_manager.user, organization=participant.cycle.organization):
                _tell(
                    new_manager,
                    f"review-manager:{participant.pk}:{new_manager.pk}",
                    _("You write %(person)s's review in “%(name)s”")
                    % {
                        "person": participant.reviewee.display_name,
                        "name": participant.cycle.name,
                    },
                )
    return participant


def participants_follow_managers(*, actor: Actor | None, member_ids: Sequence[int]) -> int:
    """After the org chart changed these people's managers (registered on
    `perfmgmt.tenancy.hooks.managers_changed`): in every running cycle where their review is
    not released, the manager review follows. The org chart's change was the authorized act;
    this is its consequence, so it needs no review rights of its own. Returns how many
    participants moved."""
    moved = 0
    # One array parameter, whatever the number of people (a sync may change thousands).
    participants = (
        Participant.objects.filter(cycle__status=CycleStatus.ACTIVE, released_at=None)
        .extra(where=["reviews_participant.reviewee_id = ANY(%s)"], params=[list(member_ids)])
        .select_related("reviewee__manager__user")
        .order_by("id")
    )
    for participant in participants:
        new_manager = _active_manager(participant.reviewee)
        if getattr(new_manager, "pk", None) != participant.manager_id:
            _move_manager_review(actor=actor, participant=participant, new_manager=new_manager)
            moved += 1
    return moved


def on_managers_changed(*, actor: Actor | None, member_ids: Sequence[int]) -> None:
    """The handler of `perfmgmt.tenancy.hooks.managers_changed` (see reviews/apps.py)."""
    participants_follow_managers(actor=actor, member_ids=member_ids)
