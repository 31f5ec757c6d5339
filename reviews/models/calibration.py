"""Calibration: HR and the managers taking part compare ratings and agree the final ones.

A session calibrates one group of a cycle's participants: the whole organization, a team or
department (with every team below it), or a manager's whole organization. Opening it takes
each person's manager rating (the overall question of their template) and potential (a
manager-only rating question HR names, else set in the session) into a `CalibrationPlacement`.
Every change of a placement keeps a `CalibrationChange` with before, after and the written
reason; the original values stay on the placement. Locking the session writes the calibrated
ratings back into the manager reviews, which is what the reviewee reads at release and what
rewards read later (`reviews.selectors.calibration.final_ratings`).

Performance and potential are each read in three bands (low, medium, high) of their scale:
the 9-box is performance by potential.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perfmgmt.tenancy.scoping import TenantModel

from .cycles import Participant, ReviewCycle


class SessionGroup(models.TextChoices):
    ORGANIZATION = "organization", _("The whole organization")
    TEAM = "team", _("A team or department, with the teams below it")
    MANAGER_ORG = "manager_org", _("A manager's whole organization")


class Band(models.IntegerChoices):
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")


class CalibrationSession(TenantModel):
    cycle = models.ForeignKey(
        ReviewCycle, on_delete=models.CASCADE, related_name="calibration_sessions"
    )
    name = models.CharField(_("name"), max_length=160)
    group = models.CharField(_("who is calibrated"), max_length=20, choices=SessionGroup.choices)
    team = models.ForeignKey(
        "tenancy.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("team or department"),
    )
    leader = models.ForeignKey(
        "tenancy.Membership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("manager"),
    )
    # The snapshot question (a manager-only rating) potential is read from; none: set here.
    potential_question_id = models.PositiveIntegerField(null=True, blank=True)
    # HR's target share of each rating, in percent: {"3": 50, "4": 25, ...}; empty: none.
    target_distribution = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "cycle", "name"], name="calibration_session_unique_name"
            ),
            models.CheckConstraint(
                condition=~Q(group="team") | Q(team__isnull=False),
                name="calibration_session_team_group_has_team",
            ),
            models.CheckConstraint(
                condition=~Q(group="manager_org") | Q(leader__isnull=False),
                name="calibration_session_manager_group_has_manager",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class CalibrationManager(TenantModel):
    """A manager taking part in a session (they read and adjust only what they may read)."""

    session = models.ForeignKey(
        CalibrationSession, on_delete=models.CASCADE, related_name="manager_links"
    )
    manager = models.ForeignKey("tenancy.Membership", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "session", "manager"],
                name="calibration_manager_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "manager"], name="calibration_manager_person"),
        ]


class CalibrationPlacement(TenantModel):
    """One person in a session: their rating and potential, as opened and as calibrated."""

    session = models.ForeignKey(
        CalibrationSession, on_delete=models.CASCADE, related_name="placements"
    )
    # A person is calibrated in one session of a cycle at most.
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="calibration_placements"
    )
    # The overall question's scale (its levels), copied from the participant's snapshot.
    overall_question_id = models.PositiveIntegerField(null=True, blank=True)
    levels = ArrayField(models.DecimalField(max_digits=6, decimal_places=2), default=list)
    # The scale's ends, so figures can put different scales on 0..1 in SQL.
    scale_lowest = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    scale_highest = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    self_rating = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    original_rating = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    rating = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    performance = models.PositiveSmallIntegerField(choices=Band.choices, null=True, blank=True)
    original_potential = models.PositiveSmallIntegerField(
        choices=Band.choices, null=True, blank=True
    )
    potential = models.PositiveSmallIntegerField(choices=Band.choices, null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "participant"], name="calibration_placement_unique"
            ),
            models.CheckConstraint(
                condition=Q(performance__isnull=True) | Q(performance__gte=1, performance__lte=3),
                name="calibration_placement_performance_band",
            ),
            models.CheckConstraint(
                condition=Q(potential__isnull=True) | Q(potential__gte=1, potential__lte=3),
                name="calibration_placement_potential_band",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "session", "performance", "potential"],
                name="calibration_placement_box",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.participant_id}"


class CalibrationChange(TenantModel):
    """One change of a placement: before and after, who, when and why (the history)."""

    placement = models.ForeignKey(
        CalibrationPlacement, on_delete=models.CASCADE, related_name="changes"
    )
    actor = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    rating_before = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    rating_after = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    potential_before = models.PositiveSmallIntegerField(null=True, blank=True)
    potential_after = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["placement_id", "-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "placement"], name="calibration_change_placement"),
        ]
