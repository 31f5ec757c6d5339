"""Review cycles: who takes part, the dated phases, and the reviews written in them.

A cycle reviews the evidence of one period (`period_start`..`period_end`). HR chooses the
participants by rules (teams or departments, a start date, membership status) plus an
explicit include/exclude list (`CycleSelection`), and a template per group
(`CycleGroupTemplate`; the cycle's own `template` for everyone else). Launching copies each
template used into a `CycleSnapshot` and creates one `Participant` per person with their
self and manager `Review`, so later edits of templates or scales never reach the cycle.

Phases are stored as instants (UTC) that HR entered in the organization's time zone. Writes
are refused by the clock itself (`reviews.phases`), never by a flag a late sweep might not
have set yet; the sweep stamps `opened_at` / `closed_at` once, to send what a phase's
opening or closing announces. A participant's deadline can be extended one by one.

A review belongs to one author. When a manager changes mid-cycle the open manager review
moves to the new manager as a new row; the old one is kept, `superseded_at` set, and shown
labelled with its author.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perfmgmt.tenancy.scoping import TenantModel

from .setup import ReviewerKind, ReviewTemplate


class CycleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    LAUNCHING = "launching", _("Launching")
    ACTIVE = "active", _("Running")
    CLOSED = "closed", _("Closed")


# A cycle that has launched: what a retrospective and a next cycle are made from.
LAUNCHED_STATUSES = (CycleStatus.ACTIVE, CycleStatus.CLOSED)


class PhaseKind(models.TextChoices):
    SELF = "self", _("Self-assessment")
    # Peer and upward feedback (reviews.peers): optional, fixed before launch.
    PEER = "peer", _("Peer and upward feedback")
    MANAGER = "manager", _("Manager review")
    # The slot calibration (the next issue) fills; a cycle may leave it out.
    CALIBRATION = "calibration", _("Calibration")
    RELEASE = "release", _("Release")
    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement")


PHASE_ORDER: tuple[str, ...] = tuple(PhaseKind.values)


class ReviewCycle(TenantModel):
    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    period_start = models.DateField(_("evidence from"))
    period_end = models.DateField(_("evidence until"))
    template = models.ForeignKey(
        ReviewTemplate,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("template"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CycleStatus.choices, default=CycleStatus.DRAFT
    )
    # Participant rules; an empty rule does not narrow.
    teams = models.ManyToManyField(
        "tenancy.Team",
        through="CycleTeam",
        blank=True,
        related_name="+",
        verbose_name=_("teams or departments"),
    )
    started_on_or_before = models.DateField(_("started on or before"), null=True, blank=True)
    statuses = ArrayField(
        models.CharField(max_length=20),
        default=list,
        blank=True,
        verbose_name=_("membership statuses"),
    )
    remind_days_before_close = models.PositiveSmallIntegerField(
        _("remind this many days before a phase closes"), default=3
    )
    created_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    launched_at = models.DateTimeField(null=True, blank=True)
    # The launch job's progress, for the progress bar.
    launch_total = models.PositiveIntegerField(default=0)
    launch_done = models.PositiveIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Peer and upward feedback (reviews.peers), fixed before launch.
    peer_minimum = models.PositiveSmallIntegerField(_("fewest peers per person"), default=3)
    peer_maximum = models.PositiveSmallIntegerField(_("most peers per person"), default=5)
    anonymity_threshold = models.PositiveSmallIntegerField(
        _("fewest answers before any is shown"), default=3
    )
    peers_anonymous = models.BooleanField(_("anonymous"), default=True)
    upward_reviews = models.BooleanField(_("direct reports review their manager"), default=False)
    # The cycle this one was created from ("create the next cycle from this one").
    previous_cycle = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_cycles",
        verbose_name=_("created from"),
    )

    class Meta:
        ordering = ["-period_end", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="review_cycle_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="review_cycle_period_order"
            ),
            models.CheckConstraint(
                condition=Q(peer_maximum__gte=F("peer_minimum"), anonymity_threshold__gte=2),
                name="review_cycle_peer_settings",
            ),
        ]
        indexes = [models.Index(fields=["organization", "status"], name="review_cycle_status")]

    def __str__(self) -> str:
        return self.name


class CycleTeam(TenantModel):
    """A team or department whose people take part (a department includes its teams)."""

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey("tenancy.Team", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "cycle", "team"], name="cycle_team_unique"
            ),
        ]


class CycleGroupTemplate(TenantModel):
    """The template the people of one team or department answer in this cycle."""

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="group_templates")
    team = models.ForeignKey("tenancy.Team", on_delete=models.CASCADE, related_name="+")
    template = models.ForeignKey(ReviewTemplate, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "cycle", "team"], name="cycle_group_template_unique"
            ),
        ]


class CycleSelection(TenantModel):
    """One person explicitly included in (or excluded from) a cycle, whatever the rules say."""

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="selections")
    membership = models.ForeignKey("tenancy.Membership", on_delete=models.CASCADE, related_name="+")
    included = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "cycle", "membership"], name="cycle_selection_unique"
            ),
        ]


class CyclePhase(TenantModel):
    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("phase"), max_length=20, choices=PhaseKind.choices)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    # Stamped once by the sweep (reviews.sweep) when it announced the opening or closing.
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cycle_id", "opens_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "cycle", "kind"], name="cycle_phase_unique_kind"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="cycle_phase_closes_after_opening"
            ),
        ]
        # No index on the instants: the sweep reads a table of a few rows per cycle.

    def __str__(self) -> str:
        return f"{self.cycle_id}: {self.kind}"


class CycleSnapshot(TenantModel):
    """A template with its scales as it was when the cycle launched (reviews.snapshots)."""

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="snapshots")
    source_template_id = models.PositiveIntegerField()
    data = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "cycle", "source_template_id"],
                name="cycle_snapshot_unique_template",
            ),
        ]


class Participant(TenantModel):
    """One person reviewed in one cycle."""

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="participants")
    reviewee = models.ForeignKey(
        "tenancy.Membership", on_delete=models.PROTECT, related_name="review_participations"
    )
    # Who writes the manager review now (the reviewee's manager at launch, then as changed).
    manager = models.ForeignKey(
        "tenancy.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews_to_write",
    )
    snapshot = models.ForeignKey(CycleSnapshot, on_delete=models.PROTECT, related_name="+")
    # Per-person extensions of the self-assessment and manager-review deadlines.
    self_deadline = models.DateTimeField(null=True, blank=True)
    manager_deadline = models.DateTimeField(null=True, blank=True)
    added_late = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    employee_comment = models.TextField(_("your comment"), blank=True)
    commented_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cycle_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "cycle", "reviewee"], name="participant_unique_reviewee"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "cycle", "manager"], name="participant_manager"),
            models.Index(fields=["organization", "reviewee"], name="participant_reviewee"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id}: {self.reviewee_id}"


class ReviewStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    DRAFT = "draft", _("In progress")
    SUBMITTED = "submitted", _("Submitted")


class Review(TenantModel):
    """One author's answers about one participant: a self-assessment, a manager review, or
    a peer's or direct report's feedback (whose author only its author ever reads)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(max_length=20, choices=ReviewerKind.choices)
    author = models.ForeignKey(
        "tenancy.Membership", on_delete=models.PROTECT, related_name="reviews_written"
    )
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.NOT_STARTED
    )
    # Bumped by every save: a save made from an older version is refused (409) with both kept.
    version = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Set when the open manager review moved to a new manager; this one stays, read-only.
    superseded_at = models.DateTimeField(null=True, blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["participant_id", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "participant", "kind"],
                condition=Q(superseded_at=None, kind__in=["self", "manager"]),
                name="review_one_open_per_kind",
            ),
            # Peers and direct reports: several per participant, one open each.
            models.UniqueConstraint(
                fields=["organization", "participant", "kind", "author"],
                condition=Q(superseded_at=None),
                name="review_one_open_per_author",
            ),
            models.CheckConstraint(
                condition=Q(status="submitted", submitted_at__isnull=False)
                | ~Q(status="submitted"),
                name="review_submitted_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "author", "status"], name="review_author_status"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} review {self.pk}"

    @property
    def is_submitted(self) -> bool:
        return self.status == ReviewStatus.SUBMITTED


class ReviewAnswer(TenantModel):
    """One answer: to a question (`item_id` 0), or to one competency or goal within it."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="answers")
    question_id = models.PositiveIntegerField()  # the snapshot's question id
    item_id = models.PositiveIntegerField(default=0)  # a competency's or goal's id, else 0
    rating = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    text = models.TextField(blank=True)
    # Evidence the answer cites, as "kind:id" (goal:12, checkin:4): links that stay valid.
    citations = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review_id", "question_id", "item_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "review", "question_id", "item_id"],
                name="review_answer_unique_item",
            ),
            models.CheckConstraint(
                condition=Q(not_applicable=False) | Q(rating=None),
                name="review_answer_not_applicable_has_no_rating",
            ),
        ]
