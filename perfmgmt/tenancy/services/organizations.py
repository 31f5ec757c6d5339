"""Creating an organization and changing its settings."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perfmgmt.accounts.models import User
from perfmgmt.audit.services import audit_record
from perfmgmt.errors import PermissionDeniedError, full_clean_or_raise

from .. import policies
from ..context import organization_scope
from ..models import Membership, MembershipStatus, Organization, Role
from ..policies import Actor


def organization_create(
    *, user: User, name: str, slug: str, time_zone: str = "UTC", locale: str = "en"
) -> Organization:
    """Create an organization with the creating login as its first owner."""
    organization = Organization(name=name.strip(), slug=slug.strip().lower(), time_zone=time_zone)
    organization.locale = locale
    full_clean_or_raise(organization)
    with transaction.atomic():
        organization.save()
        with organization_scope(organization):
            Membership.objects.create(
                user=user,
                full_name=user.full_name,
                role=Role.OWNER,
                status=MembershipStatus.ACTIVE,
                # The founder starts today where the organization is, not where the server is.
                start_date=timezone.localdate(timezone=organization.zone),
            )
    return organization


def organization_update(
    *, actor: Actor, organization: Organization, name: str, time_zone: str, locale: str
) -> Organization:
    if not policies.can_edit_organization(actor):
        raise PermissionDeniedError(_("Only owners change the organization's settings."))
    before = {"name": organization.name, "time_zone": organization.time_zone}
    organization.name, organization.time_zone, organization.locale = name, time_zone, locale
    full_clean_or_raise(organization, exclude=["slug"])
    # Only what this form changes: `settings` belongs to other services (goal settings, the
    # sign-in requirements) and the row in memory may be older than theirs.
    organization.save(update_fields=["name", "time_zone", "locale"])
    audit_record(
        actor=actor,
        action="organization.update",
        target=organization,
        changes={"before": before, "after": {"name": name, "time_zone": time_zone}},
    )
    return organization
