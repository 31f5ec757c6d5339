"""The retrospectives' sweep (registered through reviews/reminders.py)."""

from __future__ import annotations

from datetime import datetime

from perfmgmt.notifications.sweep import reminder
from perfmgmt.tenancy.models import Organization

from .models import Retrospective
from .services.retrospectives import retrospective_invite, retrospectives_open_due


@reminder("review-retrospectives")
def review_retrospectives(organization: Organization, now: datetime) -> int:
    """Open the retrospectives of cycles that ended, then tell whoever an open one asks and
    has not been told (a lost invitation job, a late joiner): once per person."""
    retrospectives_open_due(organization, now)
    sent = 0
    open_now = Retrospective.objects.filter(opened_at__lte=now, closes_at__gt=now).select_related(
        "cycle", "organization"
    )
    for retrospective in open_now:
        sent += retrospective_invite(retrospective=retrospective, now=now)
    return sent
