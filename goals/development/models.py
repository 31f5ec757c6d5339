"""Personal development plans and the organization's competency framework.

The framework (categories, competencies, levels) is data: review templates will reference
`Competency` and `CompetencyLevel` rows later, so levels are rows with a number, not choices.
A development objective is a learning goal (`goals.Goal`) linked to its plan here, so it shows
in goal lists and rolls up like any other goal.

The app's label is `development`; its tables keep the `goals_` names they had when these
models belonged to the goals app (hence the explicit `db_table`).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perfmgmt.tenancy.scoping import TenantManager, TenantModel


class CompetencyCategory(TenantModel):
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects: ClassVar[TenantManager[CompetencyCategory]] = TenantManager()  # type: ignore[assignment]

    class Meta:
        db_table = "goals_competencycategory"
        ordering = ["position", "name"]
        verbose_name_plural = _("competency categories")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="competency_category_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Competency(TenantModel):
    """A skill or behaviour the organization values. Retired ones stay for history."""

    category = models.ForeignKey(
        CompetencyCategory, on_delete=models.PROTECT, related_name="competencies"
    )
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects: ClassVar[TenantManager[Competency]] = TenantManager()  # type: ignore[assignment]

    class Meta:
        db_table = "goals_competency"
        ordering = ["category__position", "category__name", "position", "name"]
        verbose_name_plural = _("competencies")
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="competency_unique_name"),
        ]
        indexes = [
            models.Index(fields=["organization", "category"], name="competency_org_category"),
        ]

    def __str__(self) -> str:
        return self.name


class CompetencyLevel(TenantModel):
    """One step of a competency, described by behaviour that can be observed."""

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    behaviour = models.TextField(help_text=_("What someone at this level can be seen doing."))

    objects: ClassVar[TenantManager[CompetencyLevel]] = TenantManager()  # type: ignore[assignment]

    class Meta:
        db_table = "goals_competencylevel"
        ordering = ["competency_id", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "competency", "level"], name="competency_level_unique"
            ),
            models.CheckConstraint(condition=Q(level__gte=1), name="competency_level_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.level}. {self.name}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for agreement")
    AGREED = "agreed", _("Agreed")
    CLOSED = "closed", _("Closed")


class DevelopmentPlan(TenantModel):
    """A person's plan for one period (for example "2026" or "2026-H1")."""

    Status = PlanStatus

    person = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="development_plans"
    )
    period = models.CharField(max_length=40, help_text=_('A label such as "2026" or "2026-H1".'))
    period_start = models.DateField()
    period_end = models.DateField()
    aspiration = models.TextField(
        blank=True, help_text=_("Where the person wants to grow, in their own words.")
    )
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    manager_comment = models.TextField(blank=True)
    commented_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    commented_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    # Kept when a change sends an agreed plan back for agreement: what was agreed before.
    last_agreed_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_agreed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    competencies = models.ManyToManyField(
        Competency, through="PlanCompetency", related_name="development_plans"
    )

    objects: ClassVar[TenantManager[DevelopmentPlan]] = TenantManager()  # type: ignore[assignment]

    class Meta:
        db_table = "goals_developmentplan"
        ordering = ["-period_start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "person", "period"], name="development_plan_unique_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="development_plan_period_order",
                violation_error_message=_("The period cannot end before it starts."),
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "person"], name="development_plan_org_person"),
            models.Index(fields=["organization", "status"], name="development_plan_org_status"),
        ]

    def __str__(self) -> str:
        return f"Development plan {self.period}"

    @property
    def is_editable(self) -> bool:
        return self.status != PlanStatus.CLOSED


class PlanCompetency(TenantModel):
    """A competency the person builds during the plan, and the level they aim for."""

    plan = models.ForeignKey(
        DevelopmentPlan, on_delete=models.CASCADE, related_name="plan_competencies"
    )
    competency = models.ForeignKey(
        Competency, on_delete=models.PROTECT, related_name="plan_competencies"
    )
    target_level = models.ForeignKey(
        CompetencyLevel, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects: ClassVar[TenantManager[PlanCompetency]] = TenantManager()  # type: ignore[assignment]

    class Meta:
        db_table = "goals_plancompetency"
        ordering = ["competency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "plan", "competency"], name="plan_competency_unique"
            ),
        ]

    def __str__(self) -> str:
        return str(self.competency_id)


class DevelopmentObjective(TenantModel):
    """Links a learning goal (with all its SMART fields and progress) to a plan."""

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="objectives")
    goal = models.ForeignKey(
        "goals.Goal", on_delete=models.CASCADE, related_name="development_objectives"
    )
    competency = models.ForeignKey(
        Competency, null=True, blank=True, on_delete=models.SET_NULL, related_name="objectives"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[TenantManager[DevelopmentObjective]] = TenantManager()  # type: ignore[assignment]

    class Meta:
        db_table = "goals_developmentobjective"
        ordering = ["created_at", "id"]
        constraints = [
            # A goal serves one plan (a plain one-to-one would index without organization).
            models.UniqueConstraint(
                fields=["organization", "goal"], name="development_objective_unique_goal"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "plan"], name="development_objective_org_plan"),
        ]

    def __str__(self) -> str:
        return f"Objective {self.pk}"


class ActionKind(models.TextChoices):
    TRAINING = "training", _("Training course")
    MENTORING = "mentoring", _("Mentoring")
    STRETCH = "stretch_assignment", _("Stretch assignment")
    READING = "reading", _("Reading")
    OTHER = "other", _("Other")


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class DevelopmentAction(TenantModel):
    """Something done to grow: a course, mentoring, a stretch assignment, a book."""

    Kind = ActionKind
    Status = ActionStatus

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=30, choices=ActionKind.choices)
    title = models.CharField(max_length=200)
    notes = models.TextField(blank=True)
    owner = models.ForeignKey(
        "tenancy.Membership", on_delete=models.PROTECT, related_name="development_actions"
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[TenantManager[DevelopmentAction]] = TenantManager()  # type: ignore[assignment]

    class Meta:
        db_table = "goals_developmentaction"
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["organization", "plan"], name="development_action_org_plan"),
            models.Index(fields=["organization", "owner"], name="development_action_org_owner"),
        ]

    def __str__(self) -> str:
        return self.title
