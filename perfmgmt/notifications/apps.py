from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules


def _ensure_schedules_after_migrate(using: str = "default", **_: Any) -> None:
    from .schedules import beat_tables_exist, ensure_schedules

    if beat_tables_exist(using):
        ensure_schedules(using=using)


class NotificationsConfig(AppConfig):
    name = "perfmgmt.notifications"
    label = "notifications"

    def ready(self) -> None:
        # Every app's reminders.py registers its producers with the sweep.
        autodiscover_modules("reminders")
        post_migrate.connect(
            _ensure_schedules_after_migrate,
            sender=self,
            dispatch_uid="perfmgmt.notifications.ensure_schedules",
        )
