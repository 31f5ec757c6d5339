from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perfmgmt.tenancy.scoping import TenantModel

# Unread: not read, and its subject not resolved elsewhere (what the badge counts).
UNREAD = Q(read_at=None, resolved_at=None)


class Notification(TenantModel):
    """An in-app message to one person, optionally also emailed.

    `key` is the ledger: the same reminder (same recipient, same key) can exist once, which a
    database constraint enforces, so a retried task or two beat processes send it once.
    Keys name the reminder and its period, e.g. ``invitation-pending:42:2026-W47``.

    `subject` names what an actionable notification asks about (``subject_of(plan)``, or a
    string the owning app builds such as ``feedback.checkin:17:2026-11-23``). The service
    that does the action marks the notifications about that subject resolved, in its own
    transaction (`services.notifications_resolve`): they then say "Already done", leave the
    unread count and are no longer emailed.
    """

    class EmailState(models.TextChoices):
        NOT_SENT = "none", _("Not emailed")
        PENDING = "pending", _("Waiting to send")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipient = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=64)
    key = models.CharField(max_length=200)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    subject = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email_state = models.CharField(
        max_length=10, choices=EmailState.choices, default=EmailState.NOT_SENT
    )
    emailed_at = models.DateTimeField(null=True, blank=True)
    # When the current (or last) send attempt claimed the row, and how many attempts were
    # made: a SENDING row with an old claim belongs to a worker that died mid-send.
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    # When a broker message for this email was last queued (null: none known), and when its
    # next send attempt is due after a failed one (null: now). The sweep queues a row only
    # when it is due and no message for it was queued recently (`outbox.email_requeue_due`).
    email_queued_at = models.DateTimeField(null=True, blank=True)
    email_next_attempt_at = models.DateTimeField(null=True, blank=True)
    # What the last failed attempt said (shown to HR on the delivery page), cleared on send.
    email_last_error = models.CharField(max_length=200, blank=True, default="")

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
                fields=["organization", "subject"],
                condition=models.Q(resolved_at=None) & ~models.Q(subject=""),
                name="notification_open_subject",
            ),
            models.Index(
                fields=["organization", "email_state"],
                condition=models.Q(email_state__in=["pending", "sending"]),
                name="notification_email_outbox",
            ),
            models.Index(
                fields=["organization", "-id"],
                condition=models.Q(email_state="failed"),
                name="notification_email_failed",
            ),
            # The delivery page's counts by state (`deliveries.email_delivery_counts`):
            # only emailed notifications, most of them sent.
            models.Index(
                fields=["organization", "email_state"],
                condition=~models.Q(email_state="none"),
                name="notification_email_state",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None and self.resolved_at is None

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


def subject_of(instance: models.Model) -> str:
    """The subject string of a model instance, e.g. ``development.developmentplan:12``."""
    return f"{instance._meta.label_lower}:{instance.pk}"
