"""Every write of the reward stage: praise and values (praise.py), rewards and budgets
(rewards.py)."""

from .praise import (
    NOTIFIED_KIND,
    REMOVED_ACTION,
    praise_give,
    praise_remove,
    value_create,
    value_update,
)
from .rewards import (
    APPROVED_ACTION,
    BUDGET_ACTION,
    REJECTED_ACTION,
    budget_create,
    reward_approve,
    reward_propose,
    reward_reject,
    reward_withdraw,
)

__all__ = [
    "APPROVED_ACTION",
    "BUDGET_ACTION",
    "NOTIFIED_KIND",
    "REJECTED_ACTION",
    "REMOVED_ACTION",
    "budget_create",
    "praise_give",
    "praise_remove",
    "reward_approve",
    "reward_propose",
    "reward_reject",
    "reward_withdraw",
    "value_create",
    "value_update",
]
