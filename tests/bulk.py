"""Many people at once for tests of pages that must not grow with the organization: bulk
inserts (a factory per person would make a 300-person test slow)."""

from __future__ import annotations

import itertools

from goals.models import Goal, GoalStatus, OwnerKind
from perfmgmt.accounts.models import User
from perfmgmt.tenancy.models import Membership, Organization

_numbers = itertools.count()


def bulk_people(
    organization: Organization, *, count: int, manager: Membership | None, name: str = "Person"
) -> list[Membership]:
    """`count` active people reporting to `manager`, named "<name> 0001", ... in order."""
    batch = next(_numbers)
    users = User.objects.bulk_create(
        [
            User(email=f"bulk-{organization.slug}-{batch}-{n}@example.com", full_name=f"{name} {n}")
            for n in range(count)
        ]
    )
    return Membership.objects.bulk_create(
        [
            Membership(
                organization=organization,
                user=user,
                manager=manager,
                full_name=f"{name} {n:04d}",
                job_title="Engineer",
            )
            for n, user in enumerate(users)
        ]
    )


def bulk_goals(
    organization: Organization,
    *,
    count: int,
    owner: Membership,
    parent: Goal | None = None,
    title: str = "Goal",
    visibility: str = "",
) -> list[Goal]:
    """`count` active personal goals of `owner` under `parent`, titled "<title> 0001", ..."""
    extra = {"visibility": visibility} if visibility else {}
    return Goal.objects.bulk_create(
        [
            Goal(
                organization=organization,
                owner_kind=OwnerKind.PERSON,
                owner_person=owner,
                title=f"{title} {n:04d}",
                status=GoalStatus.ACTIVE,
                parent=parent,
                **extra,
            )
            for n in range(count)
        ]
    )
