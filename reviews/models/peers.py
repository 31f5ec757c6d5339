"""Peer nominations: who a participant asks for feedback, and what became of the request.

The employee nominates, their manager approves, removes or adds, and a nominated peer may
decline with a reason. An approved nomination is the peer's `Review` (kind peer); the
nomination says who was asked, never whether or what they answered (a review's author is
read by its author alone: reviews.policies).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perfmgmt.tenancy.scoping import TenantModel

from .cycles import Participant


class NominationStatus(models.TextChoices):
    NOMINATED = "nominated", _("Waiting for the manager's approval")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    REMOVED = "removed", _("Removed")


class PeerNomination(TenantModel):
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="nominations"
    )
    peer = models.ForeignKey(
        "tenancy.Membership", on_delete=models.PROTECT, related_name="peer_nominations"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=NominationStatus.choices, default="nominated"
    )
    nominated_by = models.ForeignKey(
        "tenancy.Membership", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decline_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["participant_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "participant", "peer"], name="peer_nomination_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "peer", "status"], name="peer_nomination_peer"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id}: {self.peer_id}"
