"""Foundation reminders, run by the sweep (see sweep.py for the pattern)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import partial

from django.db.models import Exists, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext

from perfmgmt.localization import format_day
from perfmgmt.tenancy.models import Invitation, Membership, MembershipStatus, Organization
from perfmgmt.tenancy.selectors import hr_people

from .ledger import Due, deliver, keyset
from .models import Notification, subject_of
from .sweep import reminder

logger = logging.getLogger(__name__)

INVITATION_NUDGE_AFTER = timedelta(days=3)
WELCOME_WINDOW = timedelta(days=7)


def _page_url(name: str, organization: Organization, **kwargs: object) -> str:
    """A page of the organization; the inbox if that page is not routed (yet)."""
    try:
        return reverse(name, kwargs={"org_slug": organization.slug, **kwargs})
    except NoReverseMatch:
        logger.warning("No route %r; the notification links to the inbox instead", name)
        return reverse("notifications:inbox", kwargs={"org_slug": organization.slug})


def _latest_usable_invitations(now: datetime) -> list[Invitation]:
    """Per invited person, their newest invitation that still works."""
    return list(
        Invitation.objects.filter(
            membership__status=MembershipStatus.INVITED,
            accepted_at=None,
            revoked_at=None,
            expires_at__gt=now,
        )
        .select_related("membership__user", "invited_by__user")
        .order_by("membership_id", "-created_at", "-id")
        .distinct("membership_id")
    )


@reminder("invitation-pending")
def invitation_not_accepted(organization: Organization, now: datetime) -> int:
    """Tell whoever sent an invitation that it is still open after three days, once per
    invitation. Without a (still present) sender, every HR admin and owner is told."""
    return deliver(_invitation_dues(organization, now))


def _invitation_dues(organization: Organization, now: datetime) -> Iterator[Due]:
    hr: list[Membership] | None = None  # read once, when first needed
    for invitation in _latest_usable_invitations(now):
        if invitation.created_at > now - INVITATION_NUDGE_AFTER:
            continue
        sender = invitation.invited_by
        if sender is not None and sender.can_sign_in:
            recipients = [sender]
        else:
            hr = list(hr_people()) if hr is None else hr
            recipients = hr
        invitee = invitation.membership
        for recipient in recipients:
            if recipient.pk != invitee.pk:
                yield Due(
                    recipient=recipient,
                    kind="invitation-pending",
                    key=f"invitation-pending:{invitation.pk}",
                    texts=partial(_nudge_texts, organization, invitation, recipient),
                    url=_page_url("people:profile", organization, member_id=invitee.pk),
                    subject=subject_of(invitee),
                )


def _nudge_texts(
    organization: Organization, invitation: Invitation, recipient: Membership
) -> tuple[str, str]:
    """One recipient's reminder of an open invitation, in their language, on their clock."""
    names = {
        "email": invitation.email,
        "sent": format_day(invitation.created_at),
        "until": format_day(invitation.expires_at),
    }
    if recipient.pk == invitation.invited_by_id:
        body = gettext(
            "You invited %(email)s on %(sent)s. The invitation has not been accepted; its "
            "link works until %(until)s. You can send it again from their profile."
        )
    else:
        body = gettext(
            "%(email)s was invited on %(sent)s. The invitation has not been accepted; its "
            "link works until %(until)s. You can send it again from their profile."
        )
    title = gettext("%(name)s has not joined %(organization)s yet") % {
        "name": invitation.membership.display_name,
        "organization": organization.name,
    }
    return title, body % names


@reminder("welcome")
def welcome_new_members(organization: Organization, now: datetime) -> int:
    """Welcome each person who accepted an invitation in the last week, once."""
    joined = Membership.objects.filter(status=MembershipStatus.ACTIVE).filter(
        Exists(
            Invitation.objects.filter(
                membership=OuterRef("pk"), accepted_at__gte=now - WELCOME_WINDOW
            )
        ),
        ~Exists(Notification.objects.filter(recipient=OuterRef("pk"), kind="welcome")),
    )
    url = _page_url("web:home", organization)
    return deliver(
        Due(
            recipient=member,
            kind="welcome",
            key=f"welcome:{member.pk}",
            texts=partial(_welcome_texts, organization, member),
            url=url,
            # They are in the app already (they just accepted in the browser).
            email=False,
        )
        for member in keyset(joined.select_related("user", "manager__user"))
    )


def _welcome_texts(organization: Organization, member: Membership) -> tuple[str, str]:
    body = gettext(
        "This is where you plan your goals, write check-ins, prepare 1:1s with your "
        "manager, and give and ask for feedback."
    )
    if member.manager is not None:
        body += " " + gettext("Your manager is %(name)s.") % {"name": member.manager.display_name}
    return gettext("Welcome to %(name)s") % {"name": organization.name}, body
