import logging.config
import os
from contextvars import Token
from typing import Any

from celery import Celery
from celery.signals import setup_logging, task_postrun, task_prerun
from django.dispatch import receiver
from django_structlog.celery.signals import modify_context_before_task_publish
from django_structlog.celery.steps import DjangoStructLogInitStep

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfmgmt.settings.dev")

app = Celery("perfmgmt")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# A task logs with the request id (and user id) of the request that queued it.
app.steps["worker"].add(DjangoStructLogInitStep)


@setup_logging.connect
def _log_as_django_does(**_: object) -> None:
    """Workers log through the LOGGING setting (JSON when LOG_FORMAT=json), not Celery's own."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


@receiver(modify_context_before_task_publish)
def _leave_the_organization_to_the_task(context: dict[str, Any], **_: object) -> None:
    """The organization in a task's log lines is the one whose scope the task opens."""
    context.pop("organization", None)


_scope_tokens: dict[str, Token[Any]] = {}


@task_prerun.connect
def _start_without_tenant_context(task_id: str | None = None, **_: object) -> None:
    """A worker process runs many tasks; none may inherit another task's organization.

    Every task starts with no organization; the task opens the scope from the ids it gets.
    """
    from perfmgmt.tenancy.context import _current

    _scope_tokens[task_id or ""] = _current.set(None)


@task_postrun.connect
def _restore_tenant_context(task_id: str | None = None, **_: object) -> None:
    """Put back what was active before the task: nothing in a worker; the caller's scope
    when the task ran eagerly inside it (tests, CELERY_TASK_ALWAYS_EAGER)."""
    from perfmgmt.tenancy.context import _current, clear_organization

    token = _scope_tokens.pop(task_id or "", None)
    if token is None:
        clear_organization()
        return
    try:
        _current.reset(token)
    except ValueError:  # created in another context: nothing of ours to restore
        clear_organization()
