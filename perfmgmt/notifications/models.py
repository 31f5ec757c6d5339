from django.db import models
from django.utils import timezone

from perfmgmt.tenancy.scoping import TenantModel


class Notification(TenantModel):
    """An in-app message to one person, optionally also emailed.

    `key` is the ledger: the same reminder (same recipient, same key) can exist once, which a
    database constraint enforces, so a retried task or two beat processes send it once.
    Keys name the reminder and its period, e.g. ``invitation-pending:42:2026-W47``.
    """

    class EmailState(models.TextChoices):
        NOT_SENT = "none", "Not emailed"
        PENDING = "pending", "Waiting to send"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    recipient = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=64)
    key = models.CharField(max_length=200)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(
        max_length=10, choices=EmailState.choices, default=EmailState.NOT_SENT
    )
    emailed_at = models.DateTimeField(null=True, blank=True)
    # When the current (or last) send attempt claimed the row, and how many attempts were
    # made: a SENDING row with an old claim belongs to a worker that died mid-send.
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "recipient", "key"], name="notification_once_per_key"
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "recipient", "read_at"], name="notification_inbox"
            ),
            models.Index(
                fields=["organization", "email_state"],
                condition=models.Q(email_state__in=["pending", "sending"]),
                name="notification_email_outbox",
            ),
        ]

    def __str__(self) -> str:
        return self.title
