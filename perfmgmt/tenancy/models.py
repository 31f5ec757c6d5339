from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perfmgmt.validators import validate_language, validate_time_zone

from .scoping import TenantModel

__all__ = ["validate_time_zone"]  # named by migration 0001


slug_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9-]{0,48}[a-z0-9]$",
    _("Use lowercase letters, digits and hyphens (2-50 characters)."),
)


class Organization(models.Model):
    """A tenant. Global by design: it is the scope itself."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=50, unique=True, validators=[slug_validator])
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    locale = models.CharField(max_length=16, default="en", validators=[validate_language])
    settings = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def today(self, now: datetime | None = None) -> date:
        """Today (or the day of `now`) on the organization's clock."""
        return timezone.localtime(now or timezone.now(), self.zone).date()

    def days(self, first: date, last: date) -> tuple[datetime, datetime]:
        """The days `first` to `last` on the organization's clock, as moments: the first
        one's start and the start of the day after the last (compare `>=` and `<`)."""
        zone = self.zone
        start = datetime.combine(first, time.min, tzinfo=zone)
        return start, datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)


class Team(TenantModel):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Department")
        TEAM = "team", _("Team")

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TEAM)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="team_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    HR_ADMIN = "hr_admin", _("HR admin")
    OWNER = "owner", _("Owner")


class MembershipStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Active")
    ON_LEAVE = "on_leave", _("On leave")
    LEFT = "left", _("Left")


# Who keeps the organization (HR admins and owners), and who of its people can sign in.
HR_ROLES = (Role.HR_ADMIN, Role.OWNER)
SIGNING_IN = (MembershipStatus.ACTIVE, MembershipStatus.ON_LEAVE)


class Membership(TenantModel):
    """A person in an organization: role, reporting line, team and HR facts."""

    Role = Role
    Status = MembershipStatus

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    # What the person is called in this organization. The login (and its name) is shared
    # between organizations, so an organization writes only its own record of the name.
    full_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.EMPLOYEE)
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    # When the current reporting line began: a manager reads manager-only content about
    # this person only from then on (feedback/policies.py). Set whenever `manager` changes.
    manager_since = models.DateTimeField(default=timezone.now)
    # The reporting line as data, kept by the database (triggers of migration 0008, see
    # perfmgmt/tenancy/reporting_paths.py): the ids of everyone above this person, top
    # first, and for each of them when the line from this person up to them began (the
    # latest `manager_since` on the way). "Everyone below R" is then one indexed predicate
    # (`reporting_path @> {R}`) instead of a recursive walk in every statement. Whatever
    # a write puts here is replaced by the computed value.
    reporting_path = ArrayField(
        models.BigIntegerField(),
        default=list,
        db_default=Value([], output_field=ArrayField(models.BigIntegerField())),
        editable=False,
    )
    reporting_since = ArrayField(
        models.DateTimeField(),
        default=list,
        db_default=Value([], output_field=ArrayField(models.DateTimeField())),
        editable=False,
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    job_title = models.CharField(max_length=200, blank=True)
    start_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    # NULL when the person has no id in an HR system; a plain unique constraint (NULLs are
    # distinct), so the people sync can name it as its ON CONFLICT target.
    external_id = models.CharField(max_length=200, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    is_api_client = False

    class Meta:
        ordering = ["full_name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_unique_user"),
            models.UniqueConstraint(
                fields=["organization", "external_id"], name="membership_unique_external_id"
            ),
            models.CheckConstraint(
                condition=~Q(manager=models.F("id")), name="membership_not_own_manager"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "manager"], name="membership_org_manager"),
            models.Index(fields=["organization", "team"], name="membership_org_team"),
            models.Index(fields=["organization", "status"], name="membership_org_status"),
            GinIndex(fields=["organization", "reporting_path"], name="membership_org_path"),
            # The people list's keyset order (by name).
            models.Index(fields=["organization", "full_name", "id"], name="membership_org_name"),
            # The API list's order within one organization: by id, without walking
            # every other organization's rows of the primary key.
            models.Index(fields=["organization", "id"], name="membership_org_id"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.user.email

    @property
    def email(self) -> str:
        return self.user.email

    @property
    def can_sign_in(self) -> bool:
        """People who left keep their record but lose access; invitees must accept first."""
        return self.status in SIGNING_IN

    @property
    def is_hr(self) -> bool:
        return self.role in HR_ROLES

    @property
    def is_owner(self) -> bool:
        return self.role == Role.OWNER

    def has_scope(self, scope: str) -> bool:
        return True


class Invitation(TenantModel):
    """An emailed link that lets an invited person set a password and join."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    # The link's token is derived from this and the server's secret key (never stored), so
    # the task that emails it is given ids only. Empty for links made before that.
    token_salt = models.CharField(max_length=64, blank=True, editable=False)
    invited_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organization", "membership"], name="invitation_org_member")
        ]

    @property
    def is_usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )

    def __str__(self) -> str:
        return f"Invitation for {self.email}"
