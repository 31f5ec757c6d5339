"""Check-ins, 1:1 meetings, continuous feedback and coaching (monitor stage).

Check-ins, cadences, feedback, feedback requests and coaching records live here; 1:1
meetings are an app of their own, `feedback/meetings/` (label `meetings`).
Who may read what is decided in `feedback/policies.py` and `feedback/selectors.py` only.
"""

from __future__ import annotations

from datetime import date

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from perfmgmt.tenancy.scoping import TenantModel

# Marked, not translated here: a check-in copies them in the language of the person who
# starts it (see `default_questions`).
DEFAULT_QUESTIONS = [
    gettext_noop("What went well?"),
    gettext_noop("What's next?"),
    gettext_noop("Any blockers?"),
]
MAX_QUESTIONS = 10
# Biweekly periods count from this Monday, so every organization's fortnights line up the
# same way whatever day the cadence was saved on.
BIWEEKLY_ANCHOR = date(2024, 1, 1)


def default_questions() -> list[str]:
    """The built-in questions in the active language."""
    return [gettext(question) for question in DEFAULT_QUESTIONS]


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    BIWEEKLY = "biweekly", _("Every two weeks")
    MONTHLY = "monthly", _("Monthly")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class CheckInCadence(TenantModel):
    """How often people check in: the organization's default (no team) or one team's own.

    At most one default and one per team. A person follows their team's cadence when it has
    one, else the organization's; without any row the built-in default applies (weekly,
    due Friday, the three default questions, reminded again after two days).

    A change of the periods (frequency or weekday) applies from the next period boundary:
    `applies_from` is the first day of the new periods, and until then the periods are those
    of `previous_frequency` / `previous_due_weekday` (what applied when it was changed; blank
    when nothing was configured, so nobody is reminded before `applies_from`). A team that
    goes back to the organization's cadence keeps its row until then, with
    `follows_organization` set. Questions and the reminder delay apply to the check-ins
    started after the change. See `feedback/periods.py`.
    """

    Frequency = Frequency

    team = models.ForeignKey(
        "tenancy.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    frequency = models.CharField(max_length=20, choices=Frequency.choices, default=Frequency.WEEKLY)
    due_weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, default=Weekday.FRIDAY)
    questions = models.JSONField(default=default_questions)
    remind_again_after_days = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(14)]
    )
    applies_from = models.DateField(null=True, blank=True)
    previous_frequency = models.CharField(
        max_length=20, choices=Frequency.choices, blank=True, default=""
    )
    previous_due_weekday = models.PositiveSmallIntegerField(
        choices=Weekday.choices, null=True, blank=True
    )
    follows_organization = models.BooleanField(default=False)
    updated_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["team__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(team=None),
                name="checkincadence_one_default",
            ),
            models.UniqueConstraint(
                fields=["organization", "team"],
                condition=Q(team__isnull=False),
                name="checkincadence_one_per_team",
            ),
            models.CheckConstraint(
                condition=Q(due_weekday__gte=0, due_weekday__lte=6),
                name="checkincadence_weekday_range",
            ),
            models.CheckConstraint(
                condition=Q(remind_again_after_days__gte=1, remind_again_after_days__lte=14),
                name="checkincadence_remind_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} check-ins"


class CheckInStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for review")
    REVIEWED = "reviewed", _("Reviewed")


class CheckIn(TenantModel):
    """One person's check-in for one period (dates in the organization's time zone).

    The questions are copied in when the check-in starts, so HR changing them later does not
    shift anyone's answers. `answers` is a list of strings in the order of `questions`.
    """

    Status = CheckInStatus

    person = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="checkins"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    due_on = models.DateField()
    questions = models.JSONField(default=default_questions)
    answers = models.JSONField(default=list, blank=True)
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    status = models.CharField(
        max_length=20, choices=CheckInStatus.choices, default=CheckInStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    manager_reply = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    goals = models.ManyToManyField(
        "goals.Goal", through="CheckInGoal", related_name="checkins", blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period_start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "person", "period_start"],
                name="checkin_one_per_person_period",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="checkin_period_order"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="checkin_score_range",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "person", "period_end"], name="checkin_org_person"
            ),
            models.Index(fields=["organization", "status"], name="checkin_org_status"),
            # The API list's order within one organization: by id, without walking
            # every other organization's rows of the primary key.
            models.Index(fields=["organization", "id"], name="checkin_org_id"),
        ]

    def __str__(self) -> str:
        return f"Check-in {self.period_start:%d %b %Y} to {self.period_end:%d %b %Y}"

    @property
    def question_answers(self) -> list[tuple[str, str]]:
        answers = list(self.answers or [])
        return [
            (question, answers[index] if index < len(answers) else "")
            for index, question in enumerate(self.questions or [])
        ]

    @property
    def is_submitted(self) -> bool:
        return self.status != CheckInStatus.DRAFT


class CheckInGoal(TenantModel):
    """A goal the person updated during the check-in's period."""

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="goal_links")
    goal = models.ForeignKey("goals.Goal", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "checkin", "goal"], name="checkingoal_unique"
            )
        ]


class FeedbackVisibility(models.TextChoices):
    PRIVATE = "private", _("Only the recipient")
    RECIPIENT_AND_MANAGER = "recipient_and_manager", _("The recipient and their managers")
    MANAGER_ONLY = "manager_only", _("Only their managers (a manager note)")


class Feedback(TenantModel):
    """Situation, behaviour and impact from one person to another.

    The giver always reads what they wrote. Who else does depends on `visibility`, chosen
    before sending (see `feedback/policies.py`); HR admins get no extra right to read it.
    """

    Visibility = FeedbackVisibility

    giver = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="feedback_given"
    )
    recipient = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="feedback_received"
    )
    situation = models.TextField(blank=True)
    behaviour = models.TextField(blank=True)
    impact = models.TextField(blank=True)
    visibility = models.CharField(
        max_length=30, choices=FeedbackVisibility.choices, default=FeedbackVisibility.PRIVATE
    )
    request = models.ForeignKey(
        "FeedbackRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(giver=F("recipient")), name="feedback_not_to_oneself"
            ),
            models.CheckConstraint(
                condition=~Q(situation="", behaviour="", impact=""), name="feedback_not_empty"
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "recipient", "created_at"], name="feedback_org_recipient"
            ),
            models.Index(fields=["organization", "giver", "created_at"], name="feedback_org_giver"),
            # The feedback lists' keyset order (newest first).
            models.Index(fields=["organization", "-created_at", "-id"], name="feedback_org_newest"),
            # The API list's order within one organization: by id, without walking
            # every other organization's rows of the primary key.
            models.Index(fields=["organization", "id"], name="feedback_org_id"),
        ]

    def __str__(self) -> str:
        return f"Feedback {self.pk}"


class FeedbackRequest(TenantModel):
    """Someone asks chosen people for feedback about themselves, or a manager about a report."""

    requester = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="feedback_requests_made"
    )
    subject = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="feedback_requests_about"
    )
    prompt = models.TextField()
    due_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["organization", "requester", "created_at"], name="feedbackreq_org_requester"
            ),
        ]

    def __str__(self) -> str:
        return f"Feedback request {self.pk}"

    @property
    def is_about_requester(self) -> bool:
        return self.subject_id == self.requester_id


class AskStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")
    DECLINED = "declined", _("Declined")


class FeedbackAsk(TenantModel):
    """One person asked in a feedback request, and what they did about it."""

    Status = AskStatus

    request = models.ForeignKey(FeedbackRequest, on_delete=models.CASCADE, related_name="asks")
    person = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="feedback_asks"
    )
    status = models.CharField(max_length=20, choices=AskStatus.choices, default=AskStatus.PENDING)
    decline_reason = models.TextField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    feedback = models.ForeignKey(
        Feedback, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "request", "person"], name="feedbackask_once_per_person"
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "person", "status"], name="feedbackask_org_person"
            ),
        ]

    def __str__(self) -> str:
        return f"Ask {self.pk} ({self.status})"


class CoachingRecord(TenantModel):
    """A manager's dated record of a coaching conversation with someone in their chain.

    Visible to the person and their manager chain (and its author). `follow_up_on` feeds
    the next 1:1's agenda through `selectors.coaching_follow_ups_due`.
    """

    manager = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="coaching_records_written"
    )
    person = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="coaching_records"
    )
    held_on = models.DateField()
    topic = models.CharField(max_length=200)
    observations = models.TextField(blank=True)
    agreed = models.TextField(blank=True)
    follow_up_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(manager=F("person")), name="coachingrecord_not_about_oneself"
            ),
            models.CheckConstraint(
                condition=Q(follow_up_on__isnull=True) | Q(follow_up_on__gte=F("held_on")),
                name="coachingrecord_follow_up_after",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "person", "held_on"], name="coaching_org_person"),
            models.Index(fields=["organization", "follow_up_on"], name="coaching_org_follow_up"),
        ]

    def __str__(self) -> str:
        # Not the topic: what was said is personal, and names show in the admin and logs.
        return f"Coaching record {self.pk}"
