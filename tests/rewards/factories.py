"""Praise and values for tests, written through the services (their rules hold)."""

from __future__ import annotations

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, Role
from rewards.models import CompanyValue, Praise
from rewards.services import praise_give, value_create


def make_value(owner: Membership, name: str = "Customers first") -> CompanyValue:
    """A value of `owner`'s organization (`owner` keeps values: HR admin or owner)."""
    assert owner.role in (Role.OWNER, Role.HR_ADMIN)
    with organization_scope(owner.organization):
        return value_create(actor=owner, name=name, description=f"What {name} means")


def make_praise(
    giver: Membership,
    recipients: list[Membership],
    message: str = "Thank you for the launch",
    value: CompanyValue | None = None,
) -> Praise:
    with organization_scope(giver.organization):
        return praise_give(actor=giver, recipients=recipients, message=message, value=value)
