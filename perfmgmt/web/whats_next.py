"""The "what's next" list on an organization's home page.

A small registry: each provider takes the signed-in person's membership and returns the
items it wants to show. Each app registers its own providers with `@register` in a module
named `whats_next` (discovered when the web app is ready). Providers must run a fixed
number of queries, whatever the size of the organization, and must not fail when the pages
they link to are not installed (use `optional_reverse`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from allauth.mfa.models import Authenticator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from perfmgmt.registry import Registry
from perfmgmt.tenancy import policies
from perfmgmt.tenancy.models import Membership, MembershipStatus, Role

from .links import optional_reverse
from .shell import Link, unread_notification_count


class Priority:
    """Higher comes first."""

    URGENT = 100
    HIGH = 75
    NORMAL = 50
    LOW = 25


@dataclass(frozen=True)
class Item:
    title: str
    detail: str = ""
    url: str = ""
    priority: int = Priority.NORMAL
    links: tuple[Link, ...] = field(default_factory=tuple)


Provider = Callable[[Membership], Iterable[Item]]
_providers: Registry[Provider] = Registry()


def register(provider: Provider) -> Provider:
    """Add a provider (usable as a decorator). Registering the same one twice is a no-op."""
    return _providers.add(provider)


clear = _providers.clear
restored_after = _providers.restored_after


def items_for(membership: Membership) -> list[Item]:
    """Every registered provider's items for this person, most important first."""
    items = [item for provider in _providers for item in provider(membership)]
    return sorted(items, key=lambda item: -item.priority)


@register
def unread_notifications(membership: Membership) -> list[Item]:
    count = unread_notification_count(membership)
    if not count:
        return []
    return [
        Item(
            title=ngettext(
                "You have %(count)d unread notification",
                "You have %(count)d unread notifications",
                count,
            )
            % {"count": count},
            detail=_("Reminders and updates that are waiting for you."),
            url=optional_reverse("notifications:inbox", org_slug=membership.organization.slug),
            priority=Priority.HIGH,
        )
    ]


@register
def pending_invitations(membership: Membership) -> list[Item]:
    if not policies.can_invite_member(membership):
        return []
    count = Membership.objects.filter(status=MembershipStatus.INVITED).count()
    if not count:
        return []
    return [
        Item(
            title=ngettext(
                "%(count)d person has not accepted an invitation yet",
                "%(count)d people have not accepted an invitation yet",
                count,
            )
            % {"count": count},
            detail=_("Check the addresses are right, or send the invitation again."),
            url=optional_reverse(
                "people:directory", query="status=invited", org_slug=membership.organization.slug
            ),
            priority=Priority.NORMAL,
        )
    ]


@register
def people_without_a_manager(membership: Membership) -> list[Item]:
    if not membership.is_hr:
        return []
    count = (
        Membership.objects.filter(manager=None)
        .exclude(role=Role.OWNER)
        .exclude(status=MembershipStatus.LEFT)
        .count()
    )
    if not count:
        return []
    return [
        Item(
            title=ngettext(
                "%(count)d person has no manager", "%(count)d people have no manager", count
            )
            % {"count": count},
            detail=_("Everyone but the owners should report to someone, so nobody is missed."),
            url=optional_reverse("people:directory", org_slug=membership.organization.slug),
            priority=Priority.NORMAL,
        )
    ]


@register
def direct_reports(membership: Membership) -> list[Item]:
    reports = list(
        Membership.objects.filter(manager=membership)
        .exclude(status=MembershipStatus.LEFT)
        .select_related("user")
        .order_by("full_name", "user__email")
    )
    if not reports:
        return []
    slug = membership.organization.slug
    return [
        Item(
            title=ngettext(
                "Your team: %(count)d direct report",
                "Your team: %(count)d direct reports",
                len(reports),
            )
            % {"count": len(reports)},
            detail=_("Keep in touch with each of them regularly."),
            url=optional_reverse("people:org_chart", org_slug=slug),
            priority=Priority.NORMAL,
            links=tuple(
                Link(
                    report.display_name,
                    optional_reverse("people:profile", org_slug=slug, member_id=report.pk),
                )
                for report in reports
            ),
        )
    ]


@register
def complete_your_profile(membership: Membership) -> list[Item]:
    if membership.job_title.strip():
        return []
    return [
        Item(
            title=_("Complete your profile"),
            detail=_("Add your job title so colleagues know what you work on."),
            url=optional_reverse(
                "people:profile", org_slug=membership.organization.slug, member_id=membership.pk
            ),
            priority=Priority.LOW,
        )
    ]


@register
def set_up_two_factor_authentication(membership: Membership) -> list[Item]:
    enabled = Authenticator.objects.filter(
        user_id=membership.user_id, type=Authenticator.Type.TOTP
    ).exists()
    if enabled:
        return []
    return [
        Item(
            title=_("Set up two-factor authentication"),
            detail=_("Protect your account with a code from an authenticator app."),
            url=optional_reverse("mfa_activate_totp") or optional_reverse("mfa_index"),
            priority=Priority.LOW,
        )
    ]
