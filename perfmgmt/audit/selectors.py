"""Reads of the audit trail, for HR admins, owners and keys with `audit:read` only.

Every filter is a condition on the entries of the active organization; dates are whole days
in the organization's time zone (an entry at 23:30 in Berlin on 1 March is on 1 March, even
though it is 22:30 UTC).
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils.translation import gettext as _

from perfmgmt.errors import NotFoundError, PermissionDeniedError
from perfmgmt.localization import valid_time_zone
from perfmgmt.tenancy.context import current_organization
from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.policies import Actor

from . import actions, policies
from .models import AuditEntry

PERSON_TYPE = Membership._meta.label
LARGEST_ID = 2**63 - 1


def _require_reader(actor: Actor) -> None:
    if not policies.can_view_audit_entries(actor):
        raise PermissionDeniedError(_("Only HR admins and owners read the audit log."))


def organization_zone() -> zoneinfo.ZoneInfo:
    return valid_time_zone(current_organization().time_zone) or zoneinfo.ZoneInfo("UTC")


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day` in the organization's time zone."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=organization_zone())


def audit_entry_list(
    *,
    actor: Actor,
    actor_id: int | None = None,
    who: str = "",
    action: str = "",
    group: str = "",
    target_type: str = "",
    person_id: int | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[AuditEntry]:
    """The entries of the active organization, newest first, narrowed by the filters:
    who acted (`actor_id`, or a part of their name in `who`), the action or its group, what
    the entry is about (`target_type`; `person_id`: one person), and a range of days
    (`since` and `until` both included)."""
    _require_reader(actor)
    entries = AuditEntry.objects.all()
    if actor_id is not None:
        # An id no row can have (past a bigint) names nobody, rather than failing in SQL.
        in_range = 0 < actor_id <= LARGEST_ID
        entries = entries.filter(actor_membership_id=actor_id) if in_range else entries.none()
    if who:
        entries = entries.filter(actor_label__icontains=who)
    if action:
        entries = entries.filter(action=action)
    if group:
        entries = entries.filter(actions.group_condition(group))
    if target_type:
        entries = entries.filter(target_type=target_type)
    if person_id is not None:
        entries = entries.filter(target_type=PERSON_TYPE, target_id=str(person_id))
    if since is not None:
        entries = entries.filter(created_at__gte=day_start(since))
    if until is not None and until < datetime.date.max:
        entries = entries.filter(created_at__lt=day_start(until + datetime.timedelta(days=1)))
    return with_target_names(entries).order_by("-created_at", "-id")


def audit_entry_get(*, actor: Actor, entry_id: int) -> AuditEntry:
    """One entry of the active organization; another organization's id is unknown (404)."""
    _require_reader(actor)
    entry = with_target_names(AuditEntry.objects.filter(pk=entry_id)).first()
    if entry is None:
        raise NotFoundError(_("No such audit entry."))
    return entry


def with_target_names(entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
    """Entries about a person carry that person's current name as `target_name` (None when
    the entry is about something else, or the person row is gone), in the same query."""
    person = Membership.objects.filter(pk=Cast(OuterRef("target_id"), BigIntegerField())).annotate(
        shown=Coalesce(NullIf("full_name", Value("")), "user__email", output_field=CharField())
    )
    return entries.annotate(
        target_name=Case(
            When(
                target_type=PERSON_TYPE,
                target_id__regex=r"^[0-9]{1,18}$",
                then=Subquery(person.values("shown")[:1]),
            ),
            default=None,
            output_field=CharField(),
        )
    )
