"""The retrospective after a review cycle: how the process itself went.

Anonymous by construction. Who has answered (`RetrospectiveParticipation`: the person, the
retrospective, nothing else) and what was answered (`RetrospectiveAnswer`: the scores and
the comment, no author, no time) are two tables with nothing in common but the
retrospective; both rows are written in one transaction, so "answered" and "the answer"
always agree, and nothing stored lets anyone tell which answer is whose. Answers are only
ever read combined (`reviews.selectors.retrospectives`), and only once at least the cycle's
`anonymity_threshold` people have answered.

The questions are code, not data (`reviews.retrospective_questions`): the answer stores
scores under each question's key.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from perfmgmt.tenancy.scoping import TenantModel

from .cycles import ReviewCycle

COMMENT_MAX_LENGTH = 2000


class Retrospective(TenantModel):
    """One cycle's retrospective, open from `opened_at` until `closes_at` (exclusive)."""

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()
    days = models.PositiveSmallIntegerField(default=14)
    # Who opened it by hand; empty when it opened by itself as the cycle ended.
    opened_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "cycle"], name="retrospective_one_per_cycle"
            ),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opened_at")),
                name="retrospective_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"Retrospective {self.pk}"

    def is_open(self, now: object = None) -> bool:
        moment = now or timezone.now()
        return self.opened_at <= moment < self.closes_at  # type: ignore[operator]


class RetrospectiveParticipation(TenantModel):
    """That one person has answered one retrospective: no time, no link to the answer."""

    retrospective = models.ForeignKey(
        Retrospective, on_delete=models.CASCADE, related_name="participations"
    )
    membership = models.ForeignKey("tenancy.Membership", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "retrospective", "membership"],
                name="retrospective_answered_once",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "membership"], name="retro_participation_person"),
        ]


class RetrospectiveAnswer(TenantModel):
    """One anonymous answer: a score from 1 to 5 per question key, and an optional comment.
    Deliberately without an author, a date or a time."""

    retrospective = models.ForeignKey(
        Retrospective, on_delete=models.CASCADE, related_name="answers"
    )
    scores = models.JSONField(default=dict)
    comment = models.TextField(blank=True, max_length=COMMENT_MAX_LENGTH)

    class Meta:
        indexes = [
            models.Index(fields=["organization", "retrospective"], name="retro_answer_retro"),
        ]
