"""Praise and the organization's values: what a reader is shown.

Every read here is of the active organization (its scope keeps other organizations' rows
out); `policies.can_read_praise` says who of it reads praise at all.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import DecimalField, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from perfmgmt.ids import object_id
from perfmgmt.tenancy.context import current_organization
from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.policies import Actor

from . import policies
from .models import (
    CompanyValue,
    Praise,
    PraiseRecipient,
    RewardBudget,
    RewardProposal,
    RewardStatus,
)


def praisable_people(*, actor: Membership) -> QuerySet[Membership]:
    """Whom the actor may name in praise (policies.praisable_q), for the people search."""
    return Membership.objects.filter(policies.praisable_q(actor)).select_related("user")


def proposable_people(*, actor: Membership) -> QuerySet[Membership]:
    """For whom the actor may propose a reward (policies.proposable_q)."""
    return Membership.objects.filter(policies.proposable_q(actor)).select_related("user")


def proposable_person(*, actor: Membership, person_id: object) -> Membership | None:
    """The person of `person_id` if the actor may propose a reward for them, else None."""
    if not str(person_id).isdigit():
        return None
    return proposable_people(actor=actor).filter(pk=int(str(person_id))).first()


def _recipients() -> Prefetch:
    links = PraiseRecipient.objects.select_related("person__user").order_by("id")
    return Prefetch("recipient_links", queryset=links)


def praise_list(
    *, actor: Actor, person_id: int | None = None, value_id: int | None = None
) -> QuerySet[Praise]:
    """The praise the actor reads, newest first, with giver, value and recipients (three
    queries for a page, whatever its length). `person_id`: praise naming that person;
    `value_id`: praise for that value."""
    if not policies.can_read_praise(actor):
        return Praise.objects.none()
    praise = Praise.objects.select_related("giver__user", "value").prefetch_related(_recipients())
    if person_id is not None:
        praise = praise.filter(recipient_links__person_id=person_id)
    if value_id is not None:
        praise = praise.filter(value_id=value_id)
    return praise


def praise_get(*, actor: Actor, praise_id: int | str) -> Praise:
    """One praise the actor reads; 404 otherwise (also another organization's)."""
    try:
        return praise_list(actor=actor).get(pk=object_id(praise_id))
    except Praise.DoesNotExist:
        raise Http404("No such praise.") from None


def value_list(*, active_only: bool = False) -> QuerySet[CompanyValue]:
    """The organization's values, by name; `active_only`: those praise may be given for."""
    values = CompanyValue.objects.all()
    return values.filter(active=True) if active_only else values


def value_get(*, value_id: int | str) -> CompanyValue:
    try:
        return CompanyValue.objects.get(pk=object_id(value_id))
    except CompanyValue.DoesNotExist:
        raise Http404("No such value.") from None


def praise_lookup(*, praise_id: int | str) -> Praise:
    """A praise of the active organization, whoever asks (404 otherwise): for refusing an
    API key only after another organization's id got its 404."""
    try:
        return Praise.objects.get(pk=object_id(praise_id))
    except Praise.DoesNotExist:
        raise Http404("No such praise.") from None


# --- Rewards ------------------------------------------------------------------------------


def reward_list(
    *, actor: Actor, status: str | None = None, person_id: int | None = None
) -> QuerySet[RewardProposal]:
    """The proposals the actor reads (policies.rewards_visible_q), newest first, with their
    people and budget (one query for a page)."""
    rewards = RewardProposal.objects.filter(policies.rewards_visible_q(actor)).select_related(
        "person__user", "proposed_by__user", "decided_by__user", "budget"
    )
    if status:
        rewards = rewards.filter(status=status)
    if person_id is not None:
        rewards = rewards.filter(person_id=person_id)
    return rewards


def reward_get(*, actor: Actor, reward_id: int | str) -> RewardProposal:
    try:
        return reward_list(actor=actor).get(pk=object_id(reward_id))
    except RewardProposal.DoesNotExist:
        raise Http404("No such reward.") from None


def reward_lookup(*, reward_id: int | str) -> RewardProposal:
    """A proposal of the active organization, whoever asks (404 otherwise)."""
    try:
        return RewardProposal.objects.get(pk=object_id(reward_id))
    except RewardProposal.DoesNotExist:
        raise Http404("No such reward.") from None


def budget_list(*, current: bool = False) -> QuerySet[RewardBudget]:
    """The budgets, newest period first, each with what approved rewards took of it;
    `current`: those whose period holds today (in the organization's zone)."""
    approved = Q(proposals__status=RewardStatus.APPROVED)
    spent = Coalesce(
        Sum("proposals__amount", filter=approved), Value(Decimal(0)), output_field=DecimalField()
    )
    budgets = RewardBudget.objects.annotate(spent=spent)
    if current:
        today = current_organization().today()
        budgets = budgets.filter(starts_on__lte=today, ends_on__gte=today)
    return budgets


def budget_get(*, budget_id: int | str) -> RewardBudget:
    try:
        return budget_list().get(pk=object_id(budget_id))
    except RewardBudget.DoesNotExist:
        raise Http404("No such budget.") from None


def budget_spent(*, budget_id: int) -> Decimal:
    """What approved rewards took of the budget (`budget_list`'s `spent`)."""
    spent: Decimal = budget_get(budget_id=budget_id).spent  # type: ignore[attr-defined]
    return spent
