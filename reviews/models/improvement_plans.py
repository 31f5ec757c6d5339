"""Performance improvement plans: a record about one person, with its own workflow.

A manager above the person drafts the plan (expectations, each with how it is measured and
optionally one of the person's goals; the support offered; dated reviews) and submits it; HR
approves it or sends it back with a reason; the person reads and acknowledges it (the plan
reaches them only once approved). At the reviews and at the end, the outcome is recorded as
a dated note: met or not met close the plan, extended moves its end date. Who reads a plan
is decided in reviews/policies.py; every change is audited.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perfmgmt.tenancy.scoping import TenantModel


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for HR approval")
    RETURNED = "returned", _("Sent back by HR")
    APPROVED = "approved", _("In progress")
    CLOSED = "closed", _("Closed")


# The states a drafter may still edit, and those the person reads.
EDITABLE_STATUSES = (PlanStatus.DRAFT, PlanStatus.RETURNED)
PERSON_READS_STATUSES = (PlanStatus.APPROVED, PlanStatus.CLOSED)


class PlanOutcomeKind(models.TextChoices):
    MET = "met", _("Met")
    EXTENDED = "extended", _("Extended")
    NOT_MET = "not_met", _("Not met")


class ImprovementPlan(TenantModel):
    person = models.ForeignKey(
        "tenancy.Membership", on_delete=models.PROTECT, related_name="improvement_plans"
    )
    # Who drafted it (a manager above the person at the time).
    drafted_by = models.ForeignKey(
        "tenancy.Membership", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("why this plan"))
    support = models.TextField(_("support offered"))
    start_date = models.DateField(_("starts"))
    end_date = models.DateField(_("ends"))
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    employee_comment = models.TextField(_("your comment"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="improvement_plan_period_order"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "person"], name="improvement_plan_person"),
            models.Index(fields=["organization", "status"], name="improvement_plan_status"),
        ]

    def __str__(self) -> str:
        return f"Improvement plan {self.pk}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class PlanExpectation(TenantModel):
    """One measurable expectation: what, and how it is measured."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="expectations")
    description = models.TextField(_("expectation"))
    measure = models.TextField(_("how it is measured"))
    goal = models.ForeignKey(
        "goals.Goal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan_id", "position", "id"]
        indexes = [
            models.Index(fields=["organization", "plan"], name="plan_expectation_plan"),
        ]

    def __str__(self) -> str:
        return self.description[:60]


class PlanReviewDate(TenantModel):
    """A day the plan's progress is reviewed (on the organization's calendar)."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="review_dates")
    on = models.DateField(_("review on"))
    # Set by the reminder sweep when it told the person and their manager (once).
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan_id", "on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "plan", "on"], name="plan_review_date_unique"
            ),
        ]
        indexes = [models.Index(fields=["organization", "on"], name="plan_review_date_on")]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.on}"


class PlanOutcome(TenantModel):
    """An outcome recorded with its dated note; an extension moves the plan's end date."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="outcomes")
    outcome = models.CharField(_("outcome"), max_length=20, choices=PlanOutcomeKind.choices)
    note = models.TextField(_("note"))
    decided_on = models.DateField(_("decided on"))
    previous_end_date = models.DateField(null=True, blank=True)
    new_end_date = models.DateField(_("new end date"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        "tenancy.Membership", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan_id", "recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="extended", new_end_date__isnull=False)
                | (~Q(outcome="extended") & Q(new_end_date=None)),
                name="plan_outcome_extension_has_end",
            ),
        ]
        indexes = [models.Index(fields=["organization", "plan"], name="plan_outcome_plan")]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.outcome}"
