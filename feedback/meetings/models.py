"""1:1 meetings: a series between two people, its meetings, shared agenda, notes and actions.

Carry-over rules (see services.py for the details):

* Undone action items are not copied: a meeting shows, by query, every action item of its
  series created in that meeting or an earlier one and not done before it.
* Undiscussed talking points are copied into the next meeting (with `carried_from` pointing
  at the original) when a meeting is marked done, or when the next meeting is created after
  that. A unique constraint on (organization, carried_from) makes the copy happen once.

The app's label is `meetings`; its tables keep the `feedback_` names they had when these
models belonged to the feedback app (hence the explicit `db_table`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from perfmgmt.tenancy.scoping import TenantModel


class Cadence(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    BIWEEKLY = "biweekly", _("Every two weeks")
    MONTHLY = "monthly", _("Every month")
    NONE = "none", _("Ad hoc (no fixed cadence)")


class OneOnOneSeries(TenantModel):
    """Recurring (or ad-hoc) 1:1s between two people.

    `manager` is the side that usually leads (a manager, a skip-level manager, or whoever
    started an ad-hoc 1:1); `report` is the other side. Both sides have the same rights.
    """

    Cadence = Cadence

    manager = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="one_on_ones_led"
    )
    report = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="one_on_ones_joined"
    )
    cadence = models.CharField(max_length=20, choices=Cadence.choices, default=Cadence.WEEKLY)
    created_by = models.ForeignKey(
        "tenancy.Membership", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "feedback_oneononeseries"
        ordering = ["-created_at", "-id"]
        verbose_name = _("1:1 series")
        verbose_name_plural = _("1:1 series")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "manager", "report"], name="one_on_one_series_unique_pair"
            ),
            models.CheckConstraint(
                condition=~Q(manager=F("report")), name="one_on_one_series_two_people"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "report"], name="one_on_one_series_report"),
        ]

    def __str__(self) -> str:
        return f"1:1 {self.manager_id} / {self.report_id}"

    def participant_ids(self) -> set[int]:
        return {self.manager_id, self.report_id}

    def other_side(self, member_id: int) -> int:
        return self.report_id if member_id == self.manager_id else self.manager_id


class MeetingStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    DONE = "done", pgettext_lazy("meeting status", "Done")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(TenantModel):
    Status = MeetingStatus

    series = models.ForeignKey(OneOnOneSeries, on_delete=models.CASCADE, related_name="meetings")
    scheduled_for = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.UPCOMING
    )
    shared_notes = models.TextField(blank=True)
    # Bumped by every save of the shared notes; a save naming an older version is refused.
    notes_version = models.PositiveIntegerField(default=1)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "feedback_meeting"
        ordering = ["scheduled_for", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "series", "scheduled_for"],
                name="meeting_unique_time_in_series",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status", "scheduled_for"], name="meeting_due"),
            # The API list's order within one organization: by id, without walking
            # every other organization's rows of the primary key.
            models.Index(fields=["organization", "id"], name="meeting_org_id"),
        ]

    def __str__(self) -> str:
        return f"1:1 on {self.scheduled_for:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.status != MeetingStatus.CANCELLED

    @property
    def has_passed(self) -> bool:
        """Its time is over but nobody marked it done (or cancelled it)."""
        return self.status == MeetingStatus.UPCOMING and self.scheduled_for < timezone.now()

    @property
    def status_label(self) -> str:
        """The status as people read it: a meeting whose time has passed is not upcoming."""
        if self.has_passed:
            return str(_("Not marked done yet"))
        return str(self.get_status_display())


class TalkingPoint(TenantModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="talking_points")
    author = models.ForeignKey("tenancy.Membership", on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    position = models.PositiveIntegerField(default=0)
    discussed = models.BooleanField(default=False)
    goal = models.ForeignKey(
        "goals.Goal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    feedback = models.ForeignKey(
        "feedback.Feedback", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "feedback_talkingpoint"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "carried_from"],
                condition=Q(carried_from__isnull=False),
                name="talking_point_carried_once",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "meeting", "position"], name="talking_point_order"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class PrivateNote(TenantModel):
    """A note only its author can ever read: not the other side, not HR, not an API key."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="private_notes")
    author = models.ForeignKey("tenancy.Membership", on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "feedback_privatenote"
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["organization", "author", "meeting"], name="private_note_author_meeting"
            ),
        ]

    def __str__(self) -> str:
        return f"Private note {self.pk}"


class ActionItem(TenantModel):
    """Something one side agreed to do. Shown in every later meeting until it is done."""

    series = models.ForeignKey(
        OneOnOneSeries, on_delete=models.CASCADE, related_name="action_items"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    owner = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="one_on_one_action_items"
    )
    text = models.TextField()
    due_date = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    # The meeting it was ticked off in: it stays visible there and in the meetings before.
    done_in = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        "tenancy.Membership", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "feedback_actionitem"
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_at__isnull=True, done_in__isnull=True)
                | Q(done_at__isnull=False, done_in__isnull=False),
                name="action_item_done_in_a_meeting",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "series", "done_at"], name="action_item_open"),
            models.Index(
                fields=["organization", "owner", "due_date"], name="action_item_owner_due"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
