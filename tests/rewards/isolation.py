"""Praise and value objects for tests/test_isolation.py: ones the organization's owner (the
caller the isolation test signs in as) may read and change."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models

from perfmgmt.tenancy.context import organization_scope
from rewards.models import CompanyValue, Praise, RewardProposal
from rewards.services import reward_approve
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory
from tests.rewards.factories import make_praise, make_reward, make_value


def make_isolation_praise(people: OrgPeople) -> Praise:
    colleague = MembershipFactory.create(organization=people.organization)
    return make_praise(colleague, [people.report])


def make_isolation_value(people: OrgPeople) -> CompanyValue:
    return make_value(people.owner, name=f"Value {CompanyValue.unscoped.count()}")


def make_isolation_reward(people: OrgPeople) -> RewardProposal:
    # Proposed by the manager for their report and approved: the owner (an HR admin) and an
    # API key with rewards:read both read it.
    reward = make_reward(people.manager, people.report)
    with organization_scope(people.organization):
        return reward_approve(actor=people.hr, proposal=reward)


REWARDS_OBJECT_KWARGS: dict[str, type[models.Model]] = {
    "praise_id": Praise,
    "value_id": CompanyValue,
    "reward_id": RewardProposal,
}

REWARDS_MAKERS: dict[type[models.Model], Callable[[OrgPeople], models.Model]] = {
    Praise: make_isolation_praise,
    CompanyValue: make_isolation_value,
    RewardProposal: make_isolation_reward,
}
