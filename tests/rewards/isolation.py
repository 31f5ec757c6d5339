"""Praise and value objects for tests/test_isolation.py: ones the organization's owner (the
caller the isolation test signs in as) may read and change."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models

from rewards.models import CompanyValue, Praise, RewardProposal
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory
from tests.rewards.factories import make_praise, make_reward, make_value


def make_isolation_praise(people: OrgPeople) -> Praise:
    colleague = MembershipFactory.create(organization=people.organization)
    return make_praise(colleague, [people.report])


def make_isolation_value(people: OrgPeople) -> CompanyValue:
    return make_value(people.owner, name=f"Value {CompanyValue.unscoped.count()}")


def make_isolation_reward(people: OrgPeople) -> RewardProposal:
    # Proposed by the manager for their report: the owner (an HR admin) reads and decides it.
    return make_reward(people.manager, people.report)


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
