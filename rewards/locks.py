"""The row locks of the rewards app, taken here only and in one order: a proposal, then the
budget it draws on (two approvals against one budget wait for each other there)."""

from __future__ import annotations

from .models import RewardBudget, RewardProposal


def lock_proposal(proposal: RewardProposal) -> RewardProposal:
    """The proposal as it is now, locked until the transaction ends."""
    return RewardProposal.objects.select_for_update().get(pk=proposal.pk)


def lock_budget(proposal: RewardProposal) -> RewardBudget | None:
    """The budget a locked proposal draws on, as it is now, locked (after the proposal)."""
    if proposal.budget_id is None:
        return None
    return RewardBudget.objects.select_for_update().get(pk=proposal.budget_id)
