from typing import Any

from django.core.management.base import BaseCommand

from perfmgmt.notifications.schedules import ensure_schedules


class Command(BaseCommand):
    help = "Create or update the periodic tasks beat runs (safe to run any number of times)."

    def handle(self, *args: Any, **options: Any) -> None:
        for name in ensure_schedules():
            self.stdout.write(f"Scheduled: {name}")
