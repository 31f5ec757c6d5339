from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Invitation, Membership
from perfmgmt.tenancy.services import member_invite

from .backends import FlakyEmailBackend


def invite(
    inviter: Membership, email: str, *, sent_at: datetime | None = None, api: bool = False
) -> Invitation:
    """Invite someone as `inviter` (no invitation email), sent at `sent_at`."""
    with organization_scope(inviter.organization):
        member = member_invite(actor=inviter, email=email, full_name="", send_email=False)
        invitation = Invitation.objects.get(membership=member)
        if sent_at is not None:
            invitation.created_at = sent_at
            invitation.expires_at = sent_at + timedelta(days=14)
        if api:
            invitation.invited_by = None
        invitation.save()
        return invitation


def days_ago(days: float) -> datetime:
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def flaky_email(settings: Any) -> type[FlakyEmailBackend]:
    settings.EMAIL_BACKEND = "tests.notifications.backends.FlakyEmailBackend"
    FlakyEmailBackend.fail_next(0)
    return FlakyEmailBackend
