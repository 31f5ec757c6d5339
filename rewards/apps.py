from django.apps import AppConfig


class RewardsConfig(AppConfig):
    """Recognition: the organization's values and praise tied to them (the reward stage)."""

    name = "rewards"
    verbose_name = "Rewards"
