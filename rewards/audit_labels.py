"""What the audit page calls this app's recorded actions (see perfmgmt/audit/actions.py)."""

from django.utils.translation import gettext_lazy as _

from perfmgmt.audit.actions import register

register(
    labels={
        "rewards.praise_removed": _("Praise removed by an HR admin"),
        "rewards.reward_approved": _("Reward approved"),
        "rewards.reward_rejected": _("Reward turned down"),
        "rewards.budget_created": _("Reward budget set"),
    },
    target_types={
        "rewards.RewardBudget": _("Reward budget"),
        "rewards.RewardProposal": _("Reward"),
    },
)
