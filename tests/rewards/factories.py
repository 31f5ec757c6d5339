"""Praise and values for tests, written through the services (their rules hold)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, Role
from rewards.models import CompanyValue, Praise, RewardBudget, RewardKind, RewardProposal
from rewards.services import budget_create, praise_give, reward_propose, value_create


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


def make_budget(
    hr: Membership, amount: str = "1000.00", name: str = "Bonuses 2026"
) -> RewardBudget:
    with organization_scope(hr.organization):
        return budget_create(
            actor=hr,
            name=name,
            currency="EUR",
            amount=Decimal(amount),
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 12, 31),
        )


def make_reward(
    proposer: Membership,
    person: Membership,
    kind: str = RewardKind.BONUS,
    amount: str | None = "300.00",
    budget: RewardBudget | None = None,
) -> RewardProposal:
    with organization_scope(proposer.organization):
        return reward_propose(
            actor=proposer,
            person=person,
            kind=kind,
            reason="Shipped the importer and trained two colleagues",
            amount=Decimal(amount) if amount is not None else None,
            currency="" if budget is not None or amount is None else "EUR",
            budget=budget,
        )
