import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfmgmt.settings.dev")

app = Celery("perfmgmt")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def _reset_tenant_context(**_: object) -> None:
    """A worker process runs many tasks; none may inherit another task's organization."""
    from perfmgmt.tenancy.context import clear_organization

    clear_organization()
