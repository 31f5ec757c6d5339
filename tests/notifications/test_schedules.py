from __future__ import annotations

import pytest
from django.core.management import call_command
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from perfmgmt.notifications.tasks import sweep_all_organizations

pytestmark = pytest.mark.django_db

SWEEP = "sweep all organizations"


def test_the_sweep_runs_every_fifteen_minutes_from_the_database_schedule_after_migrate():
    task = PeriodicTask.objects.get(name=SWEEP)

    assert task.task == sweep_all_organizations.name
    assert task.enabled
    assert (task.interval.every, task.interval.period) == (15, IntervalSchedule.MINUTES)


def test_ensuring_the_schedules_twice_keeps_one_row():
    call_command("ensure_schedules")
    call_command("ensure_schedules")

    assert PeriodicTask.objects.filter(task=sweep_all_organizations.name).count() == 1
    assert IntervalSchedule.objects.filter(every=15, period=IntervalSchedule.MINUTES).count() == 1


def test_ensuring_repairs_a_changed_schedule_but_respects_a_disabled_task():
    hourly = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.HOURS)
    PeriodicTask.objects.filter(name=SWEEP).update(interval=hourly, enabled=False)

    call_command("ensure_schedules")

    task = PeriodicTask.objects.get(name=SWEEP)
    assert (task.interval.every, task.interval.period) == (15, IntervalSchedule.MINUTES)
    assert not task.enabled


def test_ensuring_recreates_a_deleted_schedule():
    PeriodicTask.objects.filter(name=SWEEP).delete()

    call_command("ensure_schedules")

    assert PeriodicTask.objects.get(name=SWEEP).enabled


def test_every_periodic_task_in_the_schedule_names_a_task_celery_has_registered():
    from perfmgmt.celery import app
    from perfmgmt.notifications.schedules import SCHEDULES

    app.loader.import_default_modules()
    scheduled = set(PeriodicTask.objects.values_list("task", flat=True))

    assert {schedule.task for schedule in SCHEDULES} <= scheduled
    assert scheduled, "the schedule is empty after migrate"
    assert scheduled <= set(app.tasks), scheduled - set(app.tasks)


def test_expired_personal_data_exports_are_deleted_every_hour_from_the_database_schedule():
    from perfmgmt.privacy.tasks import personal_data_exports_expire

    task = PeriodicTask.objects.get(task=personal_data_exports_expire.name)

    assert task.enabled
    assert (task.interval.every, task.interval.period) == (60, IntervalSchedule.MINUTES)
