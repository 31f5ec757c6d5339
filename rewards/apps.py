from django.apps import AppConfig


class RewardsConfig(AppConfig):
    """Recognition: the organization's values and praise tied to them (the reward stage)."""

    name = "rewards"
    verbose_name = "Rewards"

    def ready(self) -> None:
        # Praise received is evidence while a review is written (reviews offers the hook).
        from .evidence import register

        register()
