from django.db import models
from django.db.models import F
from django.utils import timezone

from perfmgmt.tenancy.scoping import TenantModel


class AuditEntry(TenantModel):
    """Who changed what, for sensitive changes (roles, reporting lines, access, credentials).

    Append-only: a PostgreSQL trigger (migration 0002) refuses UPDATE and DELETE; see
    `services.audit_entries_deletable` for the one way rows leave (an organization's deletion).
    `changes` may hold personal data: it is read by HR admins and owners only, never sent in
    notifications.
    """

    actor_membership = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=100)
    target_type = models.CharField(max_length=100)
    target_id = models.CharField(max_length=64)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["organization", "target_type", "target_id"], name="audit_org_target"
            ),
            # The page's and the API's keyset order: (created_at, id) descending per organization.
            models.Index(
                "organization", F("created_at").desc(), F("id").desc(), name="audit_org_newest"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.target_type}#{self.target_id}"
