"""A requested export of one person's data, and the record that a person was erased."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perfmgmt.tenancy.scoping import TenantModel


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being built")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class PersonalDataExport(TenantModel):
    """A ZIP of everything about `person`, built in the background for `requested_by`, who
    alone may download it until `expires_at`."""

    Status = ExportStatus

    person = models.ForeignKey("tenancy.Membership", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=20, choices=ExportStatus.choices, default="queued")
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="privacy/exports/", blank=True, max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["organization", "requested_by", "person"], name="privacy_export_requester"
            ),
            models.Index(fields=["organization", "person"], name="privacy_export_person"),
        ]

    def __str__(self) -> str:
        return f"Export #{self.pk}"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    def is_downloadable(self) -> bool:
        return (
            self.status == ExportStatus.READY
            and bool(self.file)
            and self.expires_at > timezone.now()
        )


class PersonErasure(TenantModel):
    """That a person of this organization was erased, when and by whom (their data is gone;
    this row is what makes erasing twice a no-op)."""

    membership = models.ForeignKey("tenancy.Membership", on_delete=models.CASCADE, related_name="+")
    erased_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    texts_blanked = models.BooleanField(default=False)
    erased_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-erased_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "membership"], name="privacy_erasure_unique_person"
            ),
        ]

    def __str__(self) -> str:
        return f"Erasure of #{self.membership_id}"
