"""Goals, key results and goal updates (the "plan" stage).

A goal belongs to exactly one owner: a person, a team or the organization. Goals align
upward through `parent`; key results are child goals with a measure. Progress is derived
and cached on the row (`progress`, 0..1) by the services whenever anything it depends on
changes, so lists and the tree never recurse at read time.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from perfmgmt.tenancy.scoping import TenantModel

ZERO = Decimal("0")
ONE = Decimal("1")


def plain_number(value: Decimal | None) -> str:
    """A stored measure for people: 100.0000 -> "100", 0.5000 -> "0.5", None -> "—"."""
    if value is None:
        return "—"
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def shown_number(value: Decimal | None) -> str:
    """`plain_number` with the reader's decimal separator (2.5 is 2,5 in German), for
    pages; inputs keep `plain_number`."""
    return plain_number(value).replace(".", str(formats.get_format("DECIMAL_SEPARATOR")))


class OwnerKind(models.TextChoices):
    PERSON = "person", _("Person")
    TEAM = "team", _("Team")
    ORGANIZATION = "organization", _("Organization")


class GoalType(models.TextChoices):
    QUANTITATIVE = "quantitative", _("Quantitative")
    QUALITATIVE = "qualitative", _("Qualitative")
    LEARNING = "learning", _("Learning")


class Visibility(models.TextChoices):
    EVERYONE = "everyone", _("Everyone in the organization")
    TEAM_AND_MANAGERS = "team", _("The team and managers")
    OWNER_AND_MANAGERS = "private", _("The owner and their managers only")


class GoalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


class Confidence(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")


OPEN_STATUSES = (GoalStatus.DRAFT, GoalStatus.ACTIVE)
# `Goal.needs_agreement` as a filter, for reads that decide it in SQL.
NEEDS_AGREEMENT = Q(agreed_at__isnull=True, status__in=OPEN_STATUSES)


class Goal(TenantModel):
    OwnerKind = OwnerKind
    Type = GoalType
    Visibility = Visibility
    Status = GoalStatus

    owner_kind = models.CharField(max_length=20, choices=OwnerKind.choices)
    owner_person = models.ForeignKey(
        "tenancy.Membership",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="owned_goals",
    )
    owner_team = models.ForeignKey(
        "tenancy.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="goals"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    goal_type = models.CharField(
        max_length=20, choices=GoalType.choices, default=GoalType.QUANTITATIVE
    )
    unit = models.CharField(max_length=50, blank=True)
    start_value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    target_value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    current_value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    weight = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=ONE,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Relative to the goal's siblings when its parent's progress is rolled up."),
    )
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=Visibility.TEAM_AND_MANAGERS
    )
    status = models.CharField(max_length=20, choices=GoalStatus.choices, default=GoalStatus.DRAFT)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    # Derived (see services.progress): cached so lists and the tree read it in one query.
    progress = models.DecimalField(max_digits=5, decimal_places=4, default=ZERO)
    last_confidence = models.CharField(max_length=20, choices=Confidence.choices, blank=True)
    last_update_at = models.DateTimeField(null=True, blank=True)

    proposed_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    reward_text = models.TextField(blank=True)
    reward_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    created_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # One up with every change of the goal (not of its progress): agreeing names the version
    # one read, so a goal changed meanwhile is not agreed unread.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        owner_kind=OwnerKind.PERSON,
                        owner_person__isnull=False,
                        owner_team__isnull=True,
                    )
                    | Q(
                        owner_kind=OwnerKind.TEAM,
                        owner_person__isnull=True,
                        owner_team__isnull=False,
                    )
                    | Q(
                        owner_kind=OwnerKind.ORGANIZATION,
                        owner_person__isnull=True,
                        owner_team__isnull=True,
                    )
                ),
                name="goal_exactly_one_owner",
                violation_error_message=_(
                    "A goal has exactly one owner: a person, a team or the organization."
                ),
            ),
            models.CheckConstraint(
                condition=Q(due_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(due_date__gte=models.F("start_date")),
                name="goal_due_after_start",
                violation_error_message=_("The due date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True)
                | Q(start_value__isnull=True)
                | ~Q(target_value=models.F("start_value")),
                name="goal_target_differs_from_start",
                violation_error_message=_("The target must differ from the start value."),
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=1), name="goal_progress_range"
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="goal_weight_positive"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="goal_not_own_parent"),
        ]
        indexes = [
            models.Index(fields=["organization", "owner_person"], name="goal_org_person"),
            models.Index(fields=["organization", "owner_team"], name="goal_org_team"),
            models.Index(fields=["organization", "parent"], name="goal_org_parent"),
            models.Index(fields=["organization", "status", "due_date"], name="goal_org_status_due"),
            # The goal lists' keyset order (newest first).
            models.Index(fields=["organization", "-created_at", "-id"], name="goal_org_newest"),
            # The API list's order within one organization: by id, without walking
            # every other organization's rows of the primary key.
            models.Index(fields=["organization", "id"], name="goal_org_id"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def has_measure(self) -> bool:
        return self.start_value is not None and self.target_value is not None

    @property
    def start_display(self) -> str:
        return shown_number(self.start_value)

    @property
    def target_display(self) -> str:
        return shown_number(self.target_value)

    @property
    def current_display(self) -> str:
        return shown_number(self.current_value)

    @property
    def weight_display(self) -> str:
        return shown_number(self.weight)

    @property
    def is_agreed(self) -> bool:
        return self.agreed_at is not None

    @property
    def accepts_updates(self) -> bool:
        """Progress can be posted while a goal is a draft or active, not once it is closed."""
        return self.status in OPEN_STATUSES

    @property
    def needs_agreement(self) -> bool:
        return self.agreed_at is None and self.status in OPEN_STATUSES

    @property
    def is_key_result(self) -> bool:
        return self.parent_id is not None and self.has_measure

    @property
    def progress_percent(self) -> int:
        return int((self.progress * 100).to_integral_value())

    @property
    def owner_name(self) -> str:
        if self.owner_kind == OwnerKind.PERSON and self.owner_person is not None:
            return self.owner_person.display_name
        if self.owner_kind == OwnerKind.TEAM and self.owner_team is not None:
            return self.owner_team.name
        return gettext("Organization")


class GoalOwnerLine(TenantModel):
    """A person's goal seen from one of the people above its owner: one row per goal and
    per id of the owner's stored reporting line (`Membership.reporting_path`).

    The database keeps the rows (triggers of migration 0007): an inserted goal, a goal given
    to another owner and a moved reporting line rewrite them in the same statement. With
    `created_at` copied from the goal, "the newest goals of everyone below M" is one walk of
    one index, whatever the rest of the organization holds (`selectors.team_goals`).
    """

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="owner_lines", editable=False
    )
    above = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="+", editable=False
    )
    created_at = models.DateTimeField(editable=False)

    class Meta:
        constraints = [
            # Also the walk's index, read backwards: newest first for one person above.
            models.UniqueConstraint(
                fields=["organization", "above", "created_at", "goal"], name="goal_line_newest"
            )
        ]

    def __str__(self) -> str:
        return f"Goal {self.goal_id} below {self.above_id}"


class Milestone(TenantModel):
    """A behavioural milestone of a qualitative (or learning) goal."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    done = models.BooleanField(default=False)
    order = models.PositiveIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order", "id"]
        indexes = [models.Index(fields=["organization", "goal"], name="milestone_org_goal")]

    def __str__(self) -> str:
        return self.title


class GoalUpdate(TenantModel):
    """A check-in on one goal: new value or milestone states, confidence and a comment.

    `progress` is the goal's progress right after the update (the chart's data point).
    """

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    milestones = models.JSONField(default=list, blank=True)
    confidence = models.CharField(max_length=20, choices=Confidence.choices)
    comment = models.TextField(blank=True)
    progress = models.DecimalField(max_digits=5, decimal_places=4, default=ZERO)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "goal", "created_at"], name="goalupdate_org_goal"),
            models.Index(
                fields=["organization", "author", "created_at"], name="goalupdate_org_author"
            ),
        ]

    def __str__(self) -> str:
        return f"Update on {self.goal_id}"

    @property
    def progress_percent(self) -> int:
        return int((self.progress * 100).to_integral_value())

    @property
    def value_display(self) -> str:
        return shown_number(self.value)


class GoalRevision(TenantModel):
    """The agreed version of a goal, kept when one side changed what was agreed.

    `previous` holds the terms as they were agreed (see `goals.services.agreement`) and who
    agreed them; revisions written before every term was kept hold fewer keys.
    """

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="revisions")
    changed_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    previous = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "goal"], name="goalrevision_org_goal")]

    def __str__(self) -> str:
        return f"Revision of {self.goal_id}"

    @property
    def previous_display(self) -> dict[str, Any]:
        """`previous` for people: stored numbers as shown numbers ("100.0000" -> "100"),
        dates as dates (for the reader's format) and the type by its label."""
        shown = dict(self.previous)
        for name in ("start_value", "target_value", "weight", "reward_amount"):
            if shown.get(name) is not None:
                shown[name] = shown_number(Decimal(shown[name]))
        for name in ("start_date", "due_date"):
            if shown.get(name):
                shown[name] = date.fromisoformat(shown[name])
        if shown.get("goal_type") in GoalType.values:
            shown["goal_type"] = GoalType(shown["goal_type"]).label
        return shown
