"""Review set-up (evaluate stage): rating scales and review templates.

A rating scale is data: ordered levels, each a value, a label and a description. A
behaviourally anchored scale shows, on a competency question, the competency's own level
descriptions (goals/development's framework) instead of its generic ones.

A template has ordered sections with a weight; each question says its kind, who answers it
(self, manager), whether it is required and who reads the answer. Cycles copy a template and
its scales when they launch (`reviews.snapshots`), so editing either later never changes a
review under way or done.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perfmgmt.tenancy.scoping import TenantModel


class RatingScale(TenantModel):
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    # On a competency question, each level reads the competency's level of the same value.
    anchored_by_competencies = models.BooleanField(_("behaviourally anchored"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="rating_scale_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RatingLevel(TenantModel):
    scale = models.ForeignKey(RatingScale, on_delete=models.CASCADE, related_name="levels")
    value = models.DecimalField(_("value"), max_digits=6, decimal_places=2)
    label = models.CharField(_("label"), max_length=80)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["scale_id", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "scale", "value"], name="rating_level_unique_value"
            ),
            models.UniqueConstraint(
                fields=["organization", "scale", "label"], name="rating_level_unique_label"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value} {self.label}"


class ReviewTemplate(TenantModel):
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="review_template_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TemplateSection(TenantModel):
    template = models.ForeignKey(ReviewTemplate, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, default=1, validators=[MinValueValidator(0)]
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["template_id", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=0), name="template_section_weight"),
        ]
        indexes = [
            models.Index(fields=["organization", "template"], name="template_section_template"),
        ]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Rating on a scale")
    TEXT = "text", _("Free text")
    COMPETENCY = "competency", _("Competency rating")
    GOALS = "goals", _("Goal ratings")
    OVERALL = "overall", _("Overall rating")


class ReviewerKind(models.TextChoices):
    SELF = "self", _("Self-assessment")
    MANAGER = "manager", _("Manager review")
    PEER = "peer", _("Peer feedback")
    UPWARD = "upward", _("Feedback from direct reports")


# Feedback whose author nobody but the author reads: shown aggregated (reviews.peers).
PRIVATE_AUTHOR_KINDS: tuple[str, ...] = (ReviewerKind.PEER, ReviewerKind.UPWARD)
NAMED_KINDS: tuple[str, ...] = (ReviewerKind.SELF, ReviewerKind.MANAGER)


class AnswerReaders(models.TextChoices):
    """Who reads an answer once it is submitted (the author always does)."""

    EVERYONE = "everyone", _("The reviewee, their managers and HR")
    MANAGERS = "managers", _("Their managers and HR, never the reviewee")


class GoalScoring(models.TextChoices):
    RATED = "rated", _("Each goal is rated on the scale")
    PROGRESS = "progress", _("Each goal scores its progress")


class TemplateQuestion(TenantModel):
    section = models.ForeignKey(TemplateSection, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    prompt = models.CharField(_("question"), max_length=500)
    help_text = models.TextField(_("help"), blank=True)
    scale = models.ForeignKey(
        RatingScale, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    with_comment = models.BooleanField(_("with a comment"), default=False)
    required = models.BooleanField(_("required"), default=True)
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, default=1, validators=[MinValueValidator(0)]
    )
    answered_by = ArrayField(
        models.CharField(max_length=20, choices=ReviewerKind.choices),
        default=list,
        verbose_name=_("answered by"),
    )
    readers = models.CharField(
        _("who reads the answers"),
        max_length=20,
        choices=AnswerReaders.choices,
        default=AnswerReaders.EVERYONE,
    )
    competencies = models.ManyToManyField(
        "development.Competency",
        through="QuestionCompetency",
        blank=True,
        related_name="+",
        verbose_name=_("competencies"),
    )
    goal_scoring = models.CharField(
        _("goal scoring"), max_length=20, choices=GoalScoring.choices, default=GoalScoring.RATED
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["section_id", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=0), name="template_question_weight"),
            # Every kind but free text (and goals scored from progress) rates on a scale.
            models.CheckConstraint(
                condition=Q(kind="text")
                | Q(kind="goals", goal_scoring="progress")
                | Q(scale__isnull=False),
                name="template_question_scale_when_rated",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "section"], name="template_question_section"),
        ]

    def __str__(self) -> str:
        return self.prompt

    @property
    def is_scored(self) -> bool:
        return self.kind != QuestionKind.TEXT


class QuestionCompetency(TenantModel):
    """A competency a competency question rates, in the order the template shows them."""

    question = models.ForeignKey(
        TemplateQuestion, on_delete=models.CASCADE, related_name="competency_links"
    )
    competency = models.ForeignKey(
        "development.Competency", on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["question_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "question", "competency"],
                name="question_competency_unique",
            ),
        ]
