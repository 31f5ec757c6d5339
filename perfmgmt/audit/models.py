from django.db import models
from django.utils import timezone

from perfmgmt.tenancy.scoping import TenantModel


class AuditEntry(TenantModel):
    """Who changed what, for sensitive changes (roles, reporting lines, access, credentials)."""

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
            models.Index(fields=["organization", "created_at"], name="audit_org_created"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.target_type}#{self.target_id}"
