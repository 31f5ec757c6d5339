"""The health endpoint for the compose file and load balancers: /health/.

It answers 200 when the database, the cache, the Celery broker and the schema (every migration
applied) are fine, and 500 naming the failed check otherwise; `?format=json` or
`Accept: application/json` gives JSON. Anyone may ask, so an answer names the checks and
nothing else: no host, no version, no error text (the real error goes to the server log).
"""

from __future__ import annotations

import dataclasses
from concurrent.futures import Executor

from celery import Celery
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from health_check import checks
from health_check.base import HealthCheck, HealthCheckResult
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView
from kombu.exceptions import OperationalError


class _KeepsErrorsToTheLog:
    """Answers with the kind of failure only; the library has already logged the cause."""

    async def get_result(self, executor: Executor | None = None) -> HealthCheckResult:
        result: HealthCheckResult = await super().get_result(executor)  # type: ignore[misc]
        if result.error is not None:
            result.error = type(result.error)("see the server log")
        return result


@dataclasses.dataclass
class Database(_KeepsErrorsToTheLog, checks.Database):
    pass


@dataclasses.dataclass
class Cache(_KeepsErrorsToTheLog, checks.Cache):
    pass


def _project_celery_app() -> Celery:
    from perfmgmt.celery import app

    return app


@dataclasses.dataclass
class Broker(_KeepsErrorsToTheLog, HealthCheck):
    """The Celery broker accepts a connection (whether a worker runs is the worker's check)."""

    app: Celery = dataclasses.field(default_factory=_project_celery_app, repr=False)

    def run(self) -> None:
        seconds = self.timeout.total_seconds()
        with self.app.connection_for_write(connect_timeout=seconds) as connection:
            try:
                connection.ensure_connection(max_retries=1, interval_start=0, timeout=seconds)
            except OperationalError as error:
                raise ServiceUnavailable("broker unreachable") from error


@dataclasses.dataclass
class Migrations(_KeepsErrorsToTheLog, HealthCheck):
    """Every migration of the code is applied: a web process of a newer release waits."""

    alias: str = "default"

    def run(self) -> None:
        connection = connections[self.alias]
        # The check runs in a worker thread: close the connection it opens there.
        with connection.temporary_connection():
            try:
                executor = MigrationExecutor(connection)
                plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
            except DatabaseError as error:
                raise ServiceUnavailable("cannot read the migration history") from error
        if plan:
            raise ServiceUnavailable(f"{len(plan)} migrations not applied")


class HealthView(HealthCheckView):
    checks = (Database, Cache, Broker, Migrations)
