import os
from contextvars import Token
from typing import Any

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfmgmt.settings.dev")

app = Celery("perfmgmt")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

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
