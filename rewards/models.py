"""Recognition (the reward stage): the organization's values and praise tied to them.

Praise is public inside its organization: everyone in it reads the feed (that is its point,
recognition seen by colleagues), nobody outside it does, and API keys do not (it is about
people, written by people). The giver and HR admins can take praise down.
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from perfmgmt.tenancy.scoping import TenantModel

# The longest praise message; the feed shows it whole.
MAX_MESSAGE = 2_000
# The most people one praise names (a whole team is praised by naming the team's people).
MAX_RECIPIENTS = 20
MAX_VALUE_NAME = 80
MAX_VALUE_DESCRIPTION = 300


class CompanyValue(TenantModel):
    """A value the organization stands for ("Customers first"), that praise is tied to.

    HR admins keep the list. A value that is retired stays on the praise given for it and
    is offered no more."""

    name = models.CharField(max_length=MAX_VALUE_NAME)
    description = models.CharField(max_length=MAX_VALUE_DESCRIPTION, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint("organization", Lower("name"), name="companyvalue_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Praise(TenantModel):
    """Public thanks from one person to one or more colleagues, optionally for a value."""

    giver = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="praise_given"
    )
    message = models.TextField()
    value = models.ForeignKey(
        CompanyValue, null=True, blank=True, on_delete=models.PROTECT, related_name="praise"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(message=""), name="praise_not_empty"),
        ]
        indexes = [
            # The feed's keyset order (newest first), and the API list's (by id).
            models.Index(fields=["organization", "-created_at", "-id"], name="praise_org_newest"),
            models.Index(fields=["organization", "id"], name="praise_org_id"),
            models.Index(fields=["organization", "giver", "created_at"], name="praise_org_giver"),
            # The feed of one value, newest first.
            models.Index(
                fields=["organization", "value", "-created_at", "-id"], name="praise_org_value"
            ),
        ]

    def __str__(self) -> str:
        return f"Praise {self.pk}"


class PraiseRecipient(TenantModel):
    """One person a praise names."""

    praise = models.ForeignKey(Praise, on_delete=models.CASCADE, related_name="recipient_links")
    person = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="praise_received"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "praise", "person"], name="praise_recipient_once"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "person", "praise"], name="praise_org_person"),
        ]

    def __str__(self) -> str:
        return f"Praise {self.praise_id} for {self.person_id}"
