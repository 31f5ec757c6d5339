"""The reward stage: the organization's values and praise tied to them (recognition), and
rewards managers propose and HR admins decide, optionally within a budget.

Praise is public inside its organization: everyone in it reads the feed (that is its point,
recognition seen by colleagues), nobody outside it does, and API keys do not (it is about
people, written by people). The giver and HR admins can take praise down.
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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


# --- Rewards proposed by managers, decided by HR --------------------------------------------


class RewardKind(models.TextChoices):
    BONUS = "bonus", _("Bonus")
    RAISE = "raise", _("Raise")
    EXTRA_LEAVE = "extra_leave", _("Extra leave")
    SPECIAL_ASSIGNMENT = "special_assignment", _("Special assignment")
    DEVELOPMENT = "development_opportunity", _("Development opportunity")
    RECOGNITION = "public_recognition", _("Public recognition")


# The kinds that are an amount of money (an amount and its currency); the others are not.
MONETARY = frozenset({RewardKind.BONUS, RewardKind.RAISE})
MAX_REASON = 5_000


class RewardStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RewardBudget(TenantModel):
    """Money HR admins set aside for monetary rewards over a period, in one currency: a
    reward approved within it may not take it past its amount."""

    name = models.CharField(max_length=120)
    currency = models.CharField(max_length=3)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_by = models.ForeignKey(
        "tenancy.Membership", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint("organization", Lower("name"), name="rewardbudget_unique_name"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="rewardbudget_amount"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="rewardbudget_period"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RewardProposal(TenantModel):
    """A reward a manager proposes for someone in their line, from the record of what the
    person did (`reason`); an HR admin approves or rejects it. Money is an amount in a
    currency, drawn from a budget when one is chosen."""

    person = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="rewards_proposed_for"
    )
    proposed_by = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="rewards_proposed"
    )
    kind = models.CharField(max_length=30, choices=RewardKind.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    budget = models.ForeignKey(
        RewardBudget, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    reason = models.TextField()
    status = models.CharField(
        max_length=20, choices=RewardStatus.choices, default=RewardStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(person=models.F("proposed_by")),
                name="rewardproposal_not_for_oneself",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind__in=sorted(MONETARY), amount__gt=0, currency__regex=r"^[A-Z]{3}$")
                    | (
                        ~models.Q(kind__in=sorted(MONETARY))
                        & models.Q(amount__isnull=True, currency="", budget__isnull=True)
                    )
                ),
                name="rewardproposal_money",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "-created_at", "-id"], name="reward_org_newest"),
            models.Index(fields=["organization", "id"], name="reward_org_id"),
            models.Index(fields=["organization", "person", "created_at"], name="reward_org_person"),
            models.Index(fields=["organization", "proposed_by"], name="reward_org_proposer"),
            models.Index(fields=["organization", "status", "created_at"], name="reward_org_status"),
            models.Index(fields=["organization", "budget", "status"], name="reward_org_budget"),
        ]

    def __str__(self) -> str:
        return f"Reward {self.pk}"

    @property
    def is_monetary(self) -> bool:
        return self.kind in MONETARY
