"""`manage.py seed_demo`: two demo organizations with people who can sign in right away.

Idempotent: running it again brings the demo back to the same state without duplicates
(it updates names, roles, teams and reporting lines in place).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from perfmgmt.accounts.models import User
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.demo import DemoData, run_demo_loaders
from perfmgmt.tenancy.models import (
    Invitation,
    Membership,
    MembershipStatus,
    Organization,
    Role,
    Team,
)
from perfmgmt.tenancy.services import invitation_issue, invitation_link

# Printed by `make demo` on purpose: the demo logins are meant to be shared.
DEMO_PASSWORD = "demo-password-1"  # noqa: S105

ACTIVE, ON_LEAVE, INVITED = (
    MembershipStatus.ACTIVE,
    MembershipStatus.ON_LEAVE,
    MembershipStatus.INVITED,
)


@dataclass(frozen=True)
class DemoPerson:
    key: str
    email: str
    name: str
    title: str
    role: str = Role.EMPLOYEE
    team: str | None = None
    manager: str | None = None
    status: str = ACTIVE
    start: date = date(2022, 1, 10)
    label: str = ""  # shown in the printed table of logins; empty: not listed


@dataclass(frozen=True)
class DemoOrganization:
    slug: str
    name: str
    time_zone: str
    teams: tuple[tuple[str, str], ...]  # (name, kind)
    people: tuple[DemoPerson, ...]  # managers before their reports


def _email(name: str, domain: str = "demo") -> str:
    return f"{name}@{domain}.perfmgmt.test"


ACME = DemoOrganization(
    slug="demo",
    name="Acme Demo",
    time_zone="Europe/Berlin",
    teams=(("Engineering", "department"), ("Sales", "department"), ("People Ops", "team")),
    people=(
        DemoPerson("owner", _email("owner"), "Olivia Hartmann", "Chief Executive Officer",
                   Role.OWNER, start=date(2019, 4, 1), label="Owner"),
        DemoPerson("hr", _email("hr"), "Hannah Weber", "Head of People", Role.HR_ADMIN,
                   "People Ops", "owner", start=date(2020, 2, 3), label="HR admin"),
        DemoPerson("clara", _email("clara"), "Clara Meyer", "People Partner",
                   team="People Ops", manager="hr"),
        DemoPerson("director", _email("director"), "Daniel Fischer", "VP Engineering",
                   team="Engineering", manager="owner", start=date(2019, 9, 2),
                   label="Skip-level manager"),
        DemoPerson("manager", _email("manager"), "Marta Nowak", "Engineering Manager",
                   team="Engineering", manager="director", start=date(2020, 6, 1),
                   label="Manager (4 reports)"),
        DemoPerson("employee", _email("employee"), "Emil Schmidt", "Software Engineer",
                   team="Engineering", manager="manager", start=date(2023, 3, 1),
                   label="Employee"),
        DemoPerson("lena", _email("lena"), "Lena Braun", "Software Engineer",
                   team="Engineering", manager="manager"),
        DemoPerson("priya", _email("priya"), "Priya Raman", "Frontend Engineer",
                   team="Engineering", manager="manager"),
        DemoPerson("jonas", _email("jonas"), "Jonas Keller", "QA Engineer",
                   team="Engineering", manager="manager", status=ON_LEAVE,
                   label="Employee on leave"),
        DemoPerson("manager2", _email("manager2"), "Sofia Russo", "Head of Sales",
                   team="Sales", manager="owner", start=date(2021, 1, 4),
                   label="Second manager"),
        DemoPerson("ben", _email("ben"), "Ben Carter", "Account Executive",
                   team="Sales", manager="manager2"),
        DemoPerson("aisha", _email("aisha"), "Aisha Khan", "Account Executive",
                   team="Sales", manager="manager2"),
        DemoPerson("lukas", _email("lukas"), "Lukas Wolf", "Sales Development Representative",
                   team="Sales", manager="manager2"),
        DemoPerson("tom", _email("tom"), "Tom Richter", "Sales Development Representative",
                   team="Sales", manager="manager2", status=INVITED, start=date(2026, 12, 1)),
    ),
)  # fmt: skip

GLOBEX = DemoOrganization(
    slug="globex",
    name="Globex Demo",
    time_zone="America/New_York",
    teams=(("Operations", "team"),),
    people=(
        DemoPerson("owner", _email("owner"), "Olivia Hartmann", "Board Advisor", Role.OWNER,
                   start=date(2024, 5, 6)),
        DemoPerson("gina", _email("gina", "globex"), "Gina Park", "Operations Lead",
                   team="Operations", manager="owner", label="Employee"),
        DemoPerson("sam", _email("sam", "globex"), "Sam Lee", "Operations Analyst",
                   team="Operations", manager="gina"),
    ),
)  # fmt: skip


@dataclass
class SeedResult:
    logins: list[tuple[str, str, str]]  # (organization, label, email)
    invitation_links: list[tuple[DemoPerson, str | None]]


class Command(BaseCommand):
    help = "Create or refresh the demo organizations (slugs demo and globex) and print logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password", default=DEMO_PASSWORD, help="Password of every demo login."
        )

    def handle(self, *args: Any, password: str, **options: Any) -> None:
        try:
            password_validation.validate_password(password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        result = SeedResult(logins=[], invitation_links=[])
        with transaction.atomic():
            for demo in (ACME, GLOBEX):
                seed_organization(demo, password=password, result=result)
        self.report(result, password)

    def report(self, result: SeedResult, password: str) -> None:
        write = self.stdout.write
        write(self.style.SUCCESS("Demo data is ready."))
        write("")
        write(f"{'Organization':<14}{'Role':<24}{'Email':<34}Password")
        for organization, label, email in result.logins:
            write(f"{organization:<14}{label:<24}{email:<34}{password}")
        write("")
        write(f"{_email('owner')} also belongs to Globex Demo: use the organization switcher.")
        for person, link in result.invitation_links:
            if link:
                write(f"{person.name} ({person.email}) is invited; their link: {link}")
            else:
                write(
                    f"{person.name} ({person.email}) is invited; resend the invitation from "
                    "their profile to get a new link."
                )
        write("")
        write(f"Open {settings.SITE_URL.rstrip('/')} and sign in.")


def seed_organization(demo: DemoOrganization, *, password: str, result: SeedResult) -> None:
    organization, _ = Organization.objects.update_or_create(
        slug=demo.slug, defaults={"name": demo.name, "time_zone": demo.time_zone}
    )
    with organization_scope(organization):
        teams = {
            name: Team.objects.update_or_create(name=name, defaults={"kind": kind})[0]
            for name, kind in demo.teams
        }
        members: dict[str, Membership] = {}
        for person in demo.people:
            invited = person.status == INVITED
            user = _user(person, password=None if invited else password)
            values = {
                "full_name": person.name,
                "role": person.role,
                "team": teams.get(person.team or ""),
                "manager": members.get(person.manager or ""),
                "job_title": person.title,
                "start_date": person.start,
            }
            if not invited:
                values["status"] = person.status
            # An invited person who has since joined stays joined.
            member, _ = Membership.objects.update_or_create(
                user=user, defaults=values, create_defaults={**values, "status": person.status}
            )
            members[person.key] = member
            if person.label and not invited:
                result.logins.append((demo.slug, person.label, person.email))
            if invited and member.status == INVITED:
                link = _pending_invitation(member, invited_by=members.get("hr"))
                result.invitation_links.append((person, link))
        run_demo_loaders(DemoData(organization=organization, people=members, teams=teams))


def _user(person: DemoPerson, *, password: str | None) -> User:
    user, created = User.objects.get_or_create(
        email=person.email, defaults={"full_name": person.name}
    )
    changed = user.full_name != person.name
    user.full_name = person.name
    if password is not None and not user.check_password(password):
        user.set_password(password)
        changed = True
    elif created and password is None:
        user.set_unusable_password()
        changed = True
    if changed:
        user.save()
    if password is not None:
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
    return user


def _pending_invitation(member: Membership, *, invited_by: Membership | None) -> str | None:
    """Keep one usable invitation and return its link (None for a link made before links
    could be made again; it still works, only its hash is stored)."""
    pending = (
        Invitation.objects.filter(
            membership=member, accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
        )
        .order_by("-created_at")
        .first()
    )
    if pending is None:
        pending = invitation_issue(membership=member, invited_by=invited_by)
    elif not pending.token_salt:
        return None
    return invitation_link(invitation=pending)
