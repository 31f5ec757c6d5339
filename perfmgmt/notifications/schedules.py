"""The periodic tasks beat runs, kept in the database (django_celery_beat).

`ensure_schedules()` creates or updates them idempotently. It runs after every `migrate`
(post_migrate, see apps.py) and as `manage.py ensure_schedules`. An operator may disable a
task in the admin; ensuring again updates its task and interval but leaves it disabled.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections, transaction


@dataclass(frozen=True)
class Schedule:
    name: str
    task: str
    every_minutes: int


SCHEDULES = (
    Schedule(
        name="sweep all organizations",
        task="perfmgmt.notifications.tasks.sweep_all_organizations",
        every_minutes=15,
    ),
    # A personal-data export may be downloaded for a week (perfmgmt/privacy); after that its
    # file is deleted within the hour, so nothing personal outlives its expiry for long.
    Schedule(
        name="delete expired personal-data exports",
        task="perfmgmt.privacy.tasks.personal_data_exports_expire",
        every_minutes=60,
    ),
)


def beat_tables_exist(using: str = DEFAULT_DB_ALIAS) -> bool:
    tables = connections[using].introspection.table_names()
    return {"django_celery_beat_periodictask", "django_celery_beat_intervalschedule"} <= set(tables)


def ensure_schedules(*, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Create or update every periodic task in SCHEDULES; return the names ensured."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    ensured = []
    with transaction.atomic(using=using):
        for schedule in SCHEDULES:
            interval = (
                IntervalSchedule.objects.using(using)
                .filter(every=schedule.every_minutes, period=IntervalSchedule.MINUTES)
                .order_by("pk")
                .first()
            )
            if interval is None:
                interval = IntervalSchedule.objects.using(using).create(
                    every=schedule.every_minutes, period=IntervalSchedule.MINUTES
                )
            task = (
                PeriodicTask.objects.using(using)
                .select_for_update()
                .filter(name=schedule.name)
                .first()
            )
            if task is None:
                PeriodicTask.objects.using(using).create(
                    name=schedule.name, task=schedule.task, interval=interval, enabled=True
                )
            elif task.task != schedule.task or task.interval_id != interval.pk:
                task.task = schedule.task
                task.interval = interval
                task.crontab = task.solar = task.clocked = None
                task.save(using=using)
            ensured.append(schedule.name)
    return ensured
