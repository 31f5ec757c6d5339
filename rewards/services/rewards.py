"""Rewards: a manager proposes, an HR admin approves or rejects (within a budget when one
is chosen), the proposer may withdraw while it waits. Decisions are audited."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from perfmgmt.audit.services import audit_record
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from perfmgmt.integrations.webhooks.events import emit
from perfmgmt.localization import reader_locale
from perfmgmt.notifications.models import subject_of
from perfmgmt.notifications.services import notifications_resolve, notify
from perfmgmt.tenancy.context import current_organization
from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.policies import Actor, require_person
from perfmgmt.tenancy.selectors import hr_people
from perfmgmt.web.links import optional_reverse

from .. import locks, policies, selectors
from ..models import (
    MAX_REASON,
    MONETARY,
    RewardBudget,
    RewardKind,
    RewardProposal,
    RewardStatus,
)

APPROVED_ACTION = "rewards.reward_approved"
REJECTED_ACTION = "rewards.reward_rejected"
BUDGET_ACTION = "rewards.budget_created"
CURRENCY = re.compile(r"[A-Z]{3}")
LARGEST_AMOUNT = Decimal("9999999999.99")  # numeric(12, 2)


def _money_problems(
    kind: str, amount: Decimal | None, currency: str, budget: RewardBudget | None
) -> dict[str, str]:
    money = _("Only a bonus or a raise is an amount of money.")
    if kind not in MONETARY:
        problems = {"amount": money} if amount is not None else {}
        return {**problems, "budget": money} if budget is not None else problems
    problems = {}
    if amount is None or (amount.is_finite() and amount <= 0):
        problems["amount"] = _("Give the amount.")
    elif not _is_money(amount):
        problems["amount"] = _("Give an amount with at most two decimal places.")
    if budget is not None:
        if budget.organization_id != current_organization().pk:
            problems["budget"] = _("Choose one of the organization's budgets.")
        elif not selectors.budget_list(current=True).filter(pk=budget.pk).exists():
            problems["budget"] = _("Choose a budget whose period holds today.")
        elif currency and currency != budget.currency:
            problems["currency"] = _("The budget is in %(currency)s.") % {
                "currency": budget.currency
            }
    elif not CURRENCY.fullmatch(currency):
        problems["currency"] = _("Give the currency as three capital letters (EUR).")
    return problems


@transaction.atomic
def reward_propose(
    *,
    actor: Actor,
    person: Membership,
    kind: str,
    reason: str,
    amount: Decimal | None = None,
    currency: str = "",
    budget: RewardBudget | None = None,
) -> RewardProposal:
    """Propose a reward for someone in one's line (HR admins: for anyone), saying what it
    is for. The HR admins are told; the person is not, until it is approved."""
    proposer = require_person(actor, _("Rewards are proposed by people."))
    problems: dict[str, str] = {}
    if not policies.can_propose_reward(proposer, person):
        problems["person"] = _("Choose someone in your line who has not left.")
    if kind not in RewardKind.values:
        problems["kind"] = _("Choose the kind of reward.")
    reason = reason.strip()
    if not reason:
        problems["reason"] = _("Say what it is for: the goals, the work, the growth.")
    elif len(reason) > MAX_REASON:
        count = formats.number_format(MAX_REASON, force_grouping=True)
        problems["reason"] = _("Keep it to at most %(count)s characters.") % {"count": count}
    currency = currency.strip().upper()
    problems.update(_money_problems(kind, amount, currency, budget))
    if problems:
        fields = {name: [problem] for name, problem in problems.items()}
        raise DomainError(next(iter(problems.values())), fields=fields)
    monetary = kind in MONETARY
    proposal = RewardProposal.objects.create(
        person=person,
        proposed_by=proposer,
        kind=kind,
        amount=amount if monetary else None,
        currency=(budget.currency if budget else currency) if monetary else "",
        budget=budget if monetary else None,
        reason=reason,
    )
    _tell_hr(proposal)
    return proposal


def _is_money(amount: Decimal) -> bool:
    """A finite amount of at most 10 digits before the point and 2 after it."""
    return (
        amount.is_finite()
        and Decimal(0) <= amount <= LARGEST_AMOUNT
        and amount == amount.quantize(Decimal("0.01"))
    )


def _note(note: str) -> str:
    note = note.strip()
    if len(note) > MAX_REASON:
        count = formats.number_format(MAX_REASON, force_grouping=True)
        message = _("Keep it to at most %(count)s characters.") % {"count": count}
        raise DomainError(message, fields={"note": [message]})
    return note


def _url(proposal: RewardProposal) -> str:
    slug = current_organization().slug
    return optional_reverse("rewards:reward_detail", org_slug=slug, reward_id=proposal.pk)


def _tell(person: Membership, proposal: RewardProposal, kind: str, title: str) -> None:
    notify(
        recipient=person,
        kind=kind,
        key=f"{kind}:{proposal.pk}",
        title=title,
        url=_url(proposal),
        subject=subject_of(proposal),
    )


def _tell_hr(proposal: RewardProposal) -> None:
    organization = current_organization()
    for hr in hr_people():
        if not policies.can_decide_reward(hr, proposal):
            continue
        with reader_locale(user=hr.user, organization=organization):
            title = _("%(proposer)s proposes a reward for %(person)s") % {
                "proposer": proposal.proposed_by.display_name,
                "person": proposal.person.display_name,
            }
        _tell(hr, proposal, "reward-proposed", title)


def _settled(proposal: RewardProposal) -> ConflictError:
    messages: dict[str, str] = {
        RewardStatus.APPROVED: _("This reward was approved meanwhile."),
        RewardStatus.REJECTED: _("This reward was turned down meanwhile."),
        RewardStatus.WITHDRAWN: _("This proposal was withdrawn meanwhile."),
    }
    return ConflictError(messages.get(proposal.status, _("This reward changed meanwhile.")))


def _waiting(proposal: RewardProposal, outcome: str) -> tuple[RewardProposal, bool]:
    """The proposal locked, and whether it still waits for a decision: False when it already
    has `outcome` (asked twice: nothing more to do); a 409 when it was settled otherwise."""
    fresh = locks.lock_proposal(proposal)
    if fresh.status not in (RewardStatus.PROPOSED, outcome):
        raise _settled(fresh)
    return fresh, fresh.status == RewardStatus.PROPOSED


def _refuse_decider(hr: Membership, proposal: RewardProposal) -> None:
    if not policies.can_decide_reward(hr, proposal):
        raise PermissionDeniedError(
            _("HR admins decide on rewards, but not on their own proposals or rewards.")
        )


@transaction.atomic
def reward_approve(*, actor: Actor, proposal: RewardProposal, note: str = "") -> RewardProposal:
    """An HR admin approves: within the budget's amount, when it draws on one. The proposer
    and the person are told. Approving it again changes nothing."""
    hr = require_person(actor, _("Rewards are decided by people."))
    _refuse_decider(hr, proposal)
    note = _note(note)
    fresh, waiting = _waiting(proposal, RewardStatus.APPROVED)
    if not waiting:
        return fresh
    budget = locks.lock_budget(fresh)
    if budget is not None and fresh.amount is not None:
        # Read once the budget row is locked: an approval at the same moment waits for us.
        left = budget.amount - selectors.budget_spent(budget_id=budget.pk)
        if fresh.amount > left:
            raise DomainError(
                _("The budget has %(left)s %(currency)s left.")
                % {"left": formats.number_format(left, 2), "currency": budget.currency}
            )
    _decide(hr, fresh, RewardStatus.APPROVED, note)
    audit_record(actor=hr, action=APPROVED_ACTION, target=fresh, changes=_facts(fresh))
    emit("reward.approved", resource=fresh)
    organization = current_organization()
    told = ((fresh.proposed_by, "reward-approved"), (fresh.person, "reward-given"))
    for person, kind in told:
        with reader_locale(user=person.user, organization=organization):
            title = (
                _("The reward you proposed for %(name)s is approved")
                % {"name": fresh.person.display_name}
                if kind == "reward-approved"
                else _("You receive a reward: %(kind)s") % {"kind": fresh.get_kind_display()}
            )
        _tell(person, fresh, kind, title)
    return fresh


@transaction.atomic
def reward_reject(*, actor: Actor, proposal: RewardProposal, note: str) -> RewardProposal:
    """An HR admin turns it down, saying why; the proposer is told (the person is not).
    Turning it down again changes nothing."""
    hr = require_person(actor, _("Rewards are decided by people."))
    _refuse_decider(hr, proposal)
    note = _note(note)
    if not note:
        message = _("Say why, for the manager who proposed it.")
        raise DomainError(message, fields={"note": [message]})
    fresh, waiting = _waiting(proposal, RewardStatus.REJECTED)
    if not waiting:
        return fresh
    _decide(hr, fresh, RewardStatus.REJECTED, note)
    audit_record(actor=hr, action=REJECTED_ACTION, target=fresh, changes=_facts(fresh))
    with reader_locale(user=fresh.proposed_by.user, organization=current_organization()):
        title = _("The reward you proposed for %(name)s was not approved") % {
            "name": fresh.person.display_name
        }
    _tell(fresh.proposed_by, fresh, "reward-rejected", title)
    return fresh


@transaction.atomic
def reward_withdraw(*, actor: Actor, proposal: RewardProposal) -> RewardProposal:
    """The proposer takes it back while it waits for a decision (again: nothing changes;
    once decided: a 409)."""
    person = require_person(actor, _("Rewards are proposed by people."))
    if not policies.can_withdraw_reward(person, proposal):
        raise PermissionDeniedError(_("Only the person who proposed it can withdraw it."))
    fresh, waiting = _waiting(proposal, RewardStatus.WITHDRAWN)
    if not waiting:
        return fresh
    fresh.status = RewardStatus.WITHDRAWN
    fresh.save(update_fields=["status", "updated_at"])
    notifications_resolve(subject=subject_of(fresh), by=person)
    return fresh


def _decide(hr: Membership, proposal: RewardProposal, status: str, note: str) -> None:
    proposal.status = status
    proposal.decided_by = hr
    proposal.decided_at = timezone.now()
    proposal.decision_note = note
    proposal.save(
        update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"]
    )
    notifications_resolve(subject=subject_of(proposal), kinds=["reward-proposed"], by=hr)


def _facts(proposal: RewardProposal) -> dict[str, object]:
    # Read by HR admins and owners on the audit page: no reason text, no decision note.
    return {
        "reward": proposal.pk,
        "kind": proposal.kind,
        "amount": str(proposal.amount) if proposal.amount is not None else None,
        "currency": proposal.currency,
        "budget": proposal.budget_id,
        "proposed_by": proposal.proposed_by_id,
    }


@transaction.atomic
def budget_create(
    *,
    actor: Actor,
    name: str,
    currency: str,
    amount: Decimal,
    starts_on: date,
    ends_on: date,
) -> RewardBudget:
    """HR admins set aside an amount for monetary rewards over a period."""
    hr = require_person(actor, _("Budgets are set by people."))
    if not policies.can_manage_budgets(hr):
        raise PermissionDeniedError(_("Only HR admins set reward budgets."))
    name, currency = name.strip(), currency.strip().upper()
    problems: dict[str, str] = {}
    if not name or len(name) > 120:
        problems["name"] = _("Name the budget (at most 120 characters).")
    if not CURRENCY.fullmatch(currency):
        problems["currency"] = _("Give the currency as three capital letters (EUR).")
    if not _is_money(amount):
        problems["amount"] = _("Give an amount with at most two decimal places.")
    if ends_on < starts_on:
        problems["ends_on"] = _("The period ends on or after its first day.")
    if problems:
        raise DomainError(
            _("The budget is not complete."), fields={k: [v] for k, v in problems.items()}
        )
    try:
        with transaction.atomic():
            budget = RewardBudget.objects.create(
                name=name,
                currency=currency,
                amount=amount,
                starts_on=starts_on,
                ends_on=ends_on,
                created_by=hr,
            )
    except IntegrityError:
        message = _("A budget of that name exists.")
        raise DomainError(message, fields={"name": [message]}) from None
    audit_record(
        actor=hr,
        action=BUDGET_ACTION,
        target=budget,
        changes={"amount": str(amount), "currency": currency},
    )
    return budget
