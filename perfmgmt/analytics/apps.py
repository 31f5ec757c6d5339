from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class AnalyticsConfig(AppConfig):
    """The health of the whole process over time: each app's metrics on one page."""

    name = "perfmgmt.analytics"
    label = "analytics"
    verbose_name = "Analytics"

    def ready(self) -> None:
        # Every app's analytics.py registers its metrics (perfmgmt/analytics/registry.py).
        autodiscover_modules("analytics")
