"""A cycle's peer and upward feedback settings, fixed before launch.

Whether answers are anonymous, how many must answer before any is shown (K), how many
peers each person has, and whether direct reports review their manager: each of these
changes what a writer was promised, so none changes once the cycle has launched.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from perfmgmt.audit.services import audit_record
from perfmgmt.errors import ConflictError, DomainError
from perfmgmt.tenancy.policies import Actor

from ...locks import lock_cycle
from ...models import CycleStatus, ReviewCycle
from ..cycles.configure import require_cycle_rights

MOST_PEERS = 20
HIGHEST_THRESHOLD = 10


@dataclass(frozen=True)
class PeerSettings:
    minimum: int = 3
    maximum: int = 5
    threshold: int = 3
    anonymous: bool = True
    upward: bool = False


def _errors(settings: PeerSettings) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not 0 <= settings.minimum <= MOST_PEERS:
        errors["peer_minimum"] = [_("Give a number from 0 to %(most)d.") % {"most": MOST_PEERS}]
    if not 1 <= settings.maximum <= MOST_PEERS:
        errors["peer_maximum"] = [_("Give a number from 1 to %(most)d.") % {"most": MOST_PEERS}]
    elif settings.maximum < settings.minimum:
        errors["peer_maximum"] = [_("The most peers cannot be fewer than the fewest.")]
    if not 2 <= settings.threshold <= HIGHEST_THRESHOLD:
        errors["anonymity_threshold"] = [
            _("Give a number from 2 to %(most)d: with one answer, its author is known.")
            % {"most": HIGHEST_THRESHOLD}
        ]
    return errors


def cycle_peer_settings_set(
    *, actor: Actor, cycle: ReviewCycle, settings: PeerSettings
) -> ReviewCycle:
    """Set the peer and upward feedback settings of a draft cycle (HR; 409 once launched).
    Setting the same values again changes nothing."""
    require_cycle_rights(actor)
    errors = _errors(settings)
    if errors:
        raise DomainError(_("Some settings are not valid."), fields=errors)
    with transaction.atomic():
        cycle = lock_cycle(cycle.pk)
        values = {
            "peer_minimum": settings.minimum,
            "peer_maximum": settings.maximum,
            "anonymity_threshold": settings.threshold,
            "peers_anonymous": settings.anonymous,
            "upward_reviews": settings.upward,
        }
        before = {name: getattr(cycle, name) for name in values}
        if before == values:
            return cycle
        if cycle.status != CycleStatus.DRAFT:
            raise ConflictError(
                _("This cycle has launched: its peer feedback settings are fixed."),
                fields={"__all__": [_("What writers were promised cannot change now.")]},
            )
        for name, value in values.items():
            setattr(cycle, name, value)
        cycle.save(update_fields=[*values])
        audit_record(
            actor=actor,
            action="review_cycle.peer_settings",
            target=cycle,
            changes={"before": before, "after": values},
        )
    return cycle
