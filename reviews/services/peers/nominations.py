"""Nominations: the employee names peers, their manager approves, removes or adds, and a
nominated peer may decline with a reason.

Everything is checked before anything is written, so a refused request changes nothing.
An approved nomination is the peer's open `Review` (kind peer); removing or declining one
sets that review aside (`superseded_at`), and it counts in no result. Nothing changes once
the peer phase has closed: the combined answers are read from then on, and a removal then
would tell, by difference, what one person wrote.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perfmgmt.audit.services import audit_record
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from perfmgmt.tenancy.context import current_organization
from perfmgmt.tenancy.models import Membership, MembershipStatus
from perfmgmt.tenancy.policies import Actor, person_of

from ... import policies
from ...locks import lock_participant
from ...models import (
    CyclePhase,
    CycleStatus,
    NominationStatus,
    Participant,
    PeerNomination,
    PhaseKind,
    Review,
    ReviewerKind,
    ReviewStatus,
)
from ...peer_notices import peer_request_announce

ACTIVE = (NominationStatus.NOMINATED, NominationStatus.APPROVED)
MAX_REASON = 2000


def _require_open(participant: Participant) -> None:
    """Nominations change while the cycle runs and its peer phase has not closed."""
    cycle = participant.cycle
    phase = CyclePhase.objects.filter(cycle=cycle, kind=PhaseKind.PEER).first()
    if phase is None:
        raise ConflictError(_("This cycle has no peer feedback."))
    if cycle.status != CycleStatus.ACTIVE:
        raise ConflictError(_("This cycle is not running."))
    if timezone.now() >= phase.closes_at:
        raise ConflictError(_("The peer feedback phase has closed; nominations are final."))


def _peer_error(participant: Participant, peer: Membership) -> str | None:
    """Why `peer` cannot give this participant feedback, or None."""
    if peer.organization_id != current_organization().pk:
        return _("Unknown person.")
    if peer.pk == participant.reviewee_id:
        return _("You cannot nominate yourself.")
    if peer.pk == participant.manager_id:
        return _("Their manager writes the manager review, not peer feedback.")
    if peer.status == MembershipStatus.LEFT:
        return _("%(name)s has left the organization.") % {"name": peer.display_name}
    if not peer.can_sign_in:
        return _("%(name)s has not joined yet.") % {"name": peer.display_name}
    return None


def _active(participant: Participant) -> dict[int, PeerNomination]:
    return {
        nomination.peer_id: nomination
        for nomination in PeerNomination.objects.filter(participant=participant)
    }


def _open_peer_review(nomination: PeerNomination) -> Review:
    review, _created = Review.objects.get_or_create(
        participant=nomination.participant,
        kind=ReviewerKind.PEER,
        author_id=nomination.peer_id,
        superseded_at=None,
    )
    peer_request_announce(review=review, peer=nomination.peer)
    return review


def _set_aside(nomination: PeerNomination) -> None:
    Review.objects.filter(
        participant_id=nomination.participant_id,
        kind=ReviewerKind.PEER,
        author_id=nomination.peer_id,
        superseded_at=None,
    ).update(superseded_at=timezone.now())


def peers_nominate(
    *, actor: Actor, participant: Participant, peers: Sequence[Membership]
) -> list[PeerNomination]:
    """The reviewee (or their manager, or HR) names peers. Named by the reviewee, they wait
    for approval; named by a manager or HR, they are approved at once. The active
    nominations afterwards must number between the cycle's fewest and most; naming a
    peer already named changes nothing."""
    if not policies.can_nominate_peers(actor, participant):
        raise PermissionDeniedError(_("Only the person reviewed and their managers nominate."))
    deciding = policies.can_decide_nominations(actor, participant)
    errors = [error for peer in peers if (error := _peer_error(participant, peer))]
    if errors:
        raise DomainError(_("Some people cannot be nominated."), fields={"peers": errors})
    with transaction.atomic():
        participant = lock_participant(participant.pk)
        _require_open(participant)
        existing = _active(participant)
        wanted = {peer.pk: peer for peer in peers}
        active = {pk for pk, n in existing.items() if n.status in ACTIVE} | set(wanted)
        _check_count(participant, len(active), deciding=deciding)
        changed = [
            _nominate(actor, participant, peer, existing.get(peer.pk), deciding)
            for peer in wanted.values()
        ]
    return [nomination for nomination in changed if nomination is not None]


def _check_count(participant: Participant, count: int, *, deciding: bool) -> None:
    cycle = participant.cycle
    if count > cycle.peer_maximum:
        raise DomainError(
            _("Nominate at most %(most)d peers.") % {"most": cycle.peer_maximum},
            fields={"peers": [_("Too many peers: %(count)d.") % {"count": count}]},
        )
    # A manager may add one at a time; the reviewee names at least the fewest at once.
    if not deciding and count < cycle.peer_minimum:
        raise DomainError(
            _("Nominate at least %(fewest)d peers.") % {"fewest": cycle.peer_minimum},
            fields={"peers": [_("Too few peers: %(count)d.") % {"count": count}]},
        )


def _nominate(
    actor: Actor,
    participant: Participant,
    peer: Membership,
    nomination: PeerNomination | None,
    deciding: bool,
) -> PeerNomination | None:
    if nomination is not None and nomination.status in ACTIVE:
        return None
    status = NominationStatus.APPROVED if deciding else NominationStatus.NOMINATED
    if nomination is None:
        nomination = PeerNomination(participant=participant, peer=peer)
    nomination.status = status
    nomination.nominated_by = person_of(actor)
    nomination.decided_by = person_of(actor) if deciding else None
    nomination.decline_reason = ""
    nomination.created_at = timezone.now()
    nomination.save()
    if deciding:
        _open_peer_review(nomination)
    audit_record(actor=actor, action=f"peer_nomination.{status}", target=nomination)
    return nomination


def _locked(nomination: PeerNomination) -> tuple[Participant, PeerNomination]:
    participant = lock_participant(nomination.participant_id)
    fresh = PeerNomination.objects.select_for_update().get(pk=nomination.pk)
    fresh.participant = participant
    return participant, fresh


def nomination_approve(*, actor: Actor, nomination: PeerNomination) -> PeerNomination:
    """The manager (or HR) approves: the peer's review is created. Twice is a no-op."""
    if not policies.can_decide_nominations(actor, nomination.participant):
        raise PermissionDeniedError(_("Only their managers and HR approve nominations."))
    with transaction.atomic():
        participant, nomination = _locked(nomination)
        if nomination.status == NominationStatus.APPROVED:
            return nomination
        _require_open(participant)
        if nomination.status != NominationStatus.NOMINATED:
            raise ConflictError(_("Only a waiting nomination can be approved."))
        approved = PeerNomination.objects.filter(
            participant=participant, status=NominationStatus.APPROVED
        ).count()
        if approved >= participant.cycle.peer_maximum:
            raise ConflictError(
                _("%(most)d peers are approved already, the most this cycle allows.")
                % {"most": participant.cycle.peer_maximum}
            )
        nomination.status = NominationStatus.APPROVED
        nomination.decided_by = person_of(actor)
        nomination.save(update_fields=["status", "decided_by"])
        _open_peer_review(nomination)
        audit_record(actor=actor, action="peer_nomination.approved", target=nomination)
    return nomination


def nomination_remove(*, actor: Actor, nomination: PeerNomination) -> PeerNomination:
    """The manager (or HR) removes a nomination, waiting or approved, while the peer phase
    has not closed; the peer's review is set aside. Twice is a no-op."""
    if not policies.can_decide_nominations(actor, nomination.participant):
        raise PermissionDeniedError(_("Only their managers and HR remove nominations."))
    with transaction.atomic():
        participant, nomination = _locked(nomination)
        if nomination.status == NominationStatus.REMOVED:
            return nomination
        _require_open(participant)
        nomination.status = NominationStatus.REMOVED
        nomination.decided_by = person_of(actor)
        nomination.save(update_fields=["status", "decided_by"])
        _set_aside(nomination)
        audit_record(actor=actor, action="peer_nomination.removed", target=nomination)
    return nomination


def nomination_decline(*, actor: Actor, nomination: PeerNomination, reason: str) -> PeerNomination:
    """The nominated peer declines, saying why, before they have submitted. Twice is a
    no-op."""
    person = person_of(actor)
    if person is None or person.pk != nomination.peer_id:
        raise PermissionDeniedError(_("Only the person asked declines."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Say why you decline."), fields={"reason": [_("A reason is required.")]}
        )
    if len(reason) > MAX_REASON:
        raise DomainError(
            _("The reason is too long."),
            fields={"reason": [_("At most %(most)d characters.") % {"most": MAX_REASON}]},
        )
    with transaction.atomic():
        participant, nomination = _locked(nomination)
        if nomination.status == NominationStatus.DECLINED:
            return nomination
        _require_open(participant)
        if nomination.status not in ACTIVE:
            raise ConflictError(_("This request was withdrawn."))
        if Review.objects.filter(
            participant=participant,
            kind=ReviewerKind.PEER,
            author=person,
            superseded_at=None,
            status=ReviewStatus.SUBMITTED,
        ).exists():
            raise ConflictError(_("You have submitted your feedback already."))
        nomination.status = NominationStatus.DECLINED
        nomination.decline_reason = reason
        nomination.save(update_fields=["status", "decline_reason"])
        _set_aside(nomination)
        audit_record(actor=actor, action="peer_nomination.declined", target=nomination)
    return nomination
