"""What the page shell shows around every page: navigation, organizations, notifications.

Everything here is computed lazily (a property is only evaluated when a template uses it)
and at most once per request.
"""

from __future__ import annotations

import re
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from django.http import HttpRequest
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from perfmgmt.notifications.selectors import header_unread_count
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.selectors import (
    LoginOrganization,
    login_organizations,
    memberships_for_user,
)

from . import menu
from .links import organization_reverse

if TYPE_CHECKING:
    from perfmgmt.accounts.models import User
    from perfmgmt.tenancy.models import Organization

# Account pages (password, two-factor, preferences) live outside /o/<slug>/; reached from an
# organization they carry `?org=<slug>`, or the page that linked to them was one of its pages.
ORGANIZATION_PARAMETER = "org"
_ORGANIZATION_PATH = re.compile(r"^/o/(?P<slug>[-\w]+)/")


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: bool = False


def unread_notification_count(membership: Membership) -> int:
    """Unread notifications of this person as of the start of the request: brought by the
    page's membership look-up (one statement for a membership loaded otherwise)."""
    return header_unread_count(actor=membership)


def _mark_current(links: list[Link], path: str, *, home: str = "") -> list[Link]:
    """The longest link that prefixes the path is the current page. Home (the organization's
    root, a prefix of every page) only when it is the page itself."""
    best = max(
        (
            link
            for link in links
            if path == link.url or (link.url != home and path.startswith(link.url))
        ),
        key=lambda link: len(link.url),
        default=None,
    )
    return [Link(link.label, link.url, current=link is best) for link in links]


class Shell:
    """The header's data for one request by a signed-in person."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.user: User = request.user  # type: ignore[assignment]
        self.page_membership: Membership | None = getattr(request, "membership", None)

    @cached_property
    def membership(self) -> Membership | None:
        """Whose navigation the header shows: the page's organization, or on a page outside
        one (the account pages) the organization the person came from, if they belong to it.

        Only the header uses the borrowed membership: it grants nothing, and the page itself
        still runs with no organization active.
        """
        if self.page_membership is not None:
            return self.page_membership
        slug = self._organization_slug_named()
        if not slug:
            return None
        return next(
            (member for member in self._memberships if member.organization.slug == slug), None
        )

    def _organization_slug_named(self) -> str:
        slug = self.request.GET.get(ORGANIZATION_PARAMETER, "")
        if slug:
            return slug
        referrer = urlsplit(self.request.headers.get("Referer", ""))
        if referrer.netloc != self.request.get_host():
            return ""
        found = _ORGANIZATION_PATH.match(referrer.path)
        if found:
            return found["slug"]
        return parse_qs(referrer.query).get(ORGANIZATION_PARAMETER, [""])[0]

    @cached_property
    def _memberships(self) -> list[Membership]:
        return list(memberships_for_user(user=self.user))

    def _scope(self) -> AbstractContextManager[Any]:
        """The borrowed organization's scope, for the menu policies that read its tables."""
        if self.membership is None or self.membership is self.page_membership:
            return nullcontext()
        return organization_scope(self.membership.organization)

    @cached_property
    def organization(self) -> Organization | None:
        return self.membership.organization if self.membership else None

    @cached_property
    def navigation(self) -> list[Link]:
        """Every menu link this person may use, in order, the current page marked."""
        return [link for _group, links in self.navigation_groups for link in links]

    @cached_property
    def navigation_groups(self) -> list[tuple[str, list[Link]]]:
        """The menu as (group label, links), from the entries the apps registered."""
        if self.membership is None:
            return []
        slug = self.membership.organization.slug
        placed: list[tuple[menu.Group, Link]] = []
        with self._scope():
            entries = menu.entries_for(self.membership)
        for entry in entries:
            url = organization_reverse(
                entry.url_name, org_slug=slug if entry.per_organization else None
            )
            if url:
                placed.append((entry.group, Link(str(entry.label), url)))
        home = organization_reverse("web:home", org_slug=slug)
        marked = _mark_current([link for _group, link in placed], self.request.path, home=home)
        groups: dict[menu.Group, list[Link]] = {}
        for (group, _link), link in zip(placed, marked, strict=True):
            groups.setdefault(group, []).append(link)
        return [(group.label, links) for group, links in groups.items()]

    @cached_property
    def organizations(self) -> list[Link]:
        """The organizations this login can enter (people who left are not listed)."""
        current_id = self.membership.organization_id if self.membership else None
        return [
            Link(
                organization.name,
                organization_reverse("web:home", org_slug=organization.slug),
                current=organization.id == current_id,
            )
            for organization in self._login_organizations
        ]

    @cached_property
    def _login_organizations(self) -> list[LoginOrganization]:
        if self.page_membership is not None:
            return login_organizations(membership=self.page_membership)
        return [
            LoginOrganization(
                member.organization_id, member.organization.name, member.organization.slug
            )
            for member in self._memberships
        ]

    @cached_property
    def unread_notifications(self) -> int:
        if self.membership is None:
            return 0
        with self._scope():
            return unread_notification_count(self.membership)

    @cached_property
    def notifications_url(self) -> str:
        if self.membership is None:
            return ""
        return organization_reverse(
            "notifications:inbox", org_slug=self.membership.organization.slug
        )

    @cached_property
    def notifications_badge_url(self) -> str:
        if self.membership is None:
            return ""
        return organization_reverse(
            "notifications:badge", org_slug=self.membership.organization.slug
        )

    @cached_property
    def account_links(self) -> list[Link]:
        entries = [
            (_("Preferences"), "web:preferences"),
            (_("Two-factor authentication"), "mfa_index"),
            (_("Change password"), "account_change_password"),
        ]
        # From an organization, the account pages keep its navigation (see `membership`).
        query = ""
        if self.membership is not None:
            query = "?" + urlencode({ORGANIZATION_PARAMETER: self.membership.organization.slug})
        links = [Link(label, organization_reverse(name, org_slug=None)) for label, name in entries]
        return [
            Link(link.label, link.url + query, current=link.url == self.request.path)
            for link in links
            if link.url
        ]

    @cached_property
    def logout_url(self) -> str:
        return organization_reverse("account_logout", org_slug=None)

    @cached_property
    def create_organization_url(self) -> str:
        return organization_reverse("web:org_create", org_slug=None)
