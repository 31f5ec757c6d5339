"""/health/ tells the compose file and load balancers whether this process can serve."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
import yaml
from celery import Celery
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client, override_settings

from perfmgmt.health import Broker

Result = TypeVar("Result")

ROOT = Path(__file__).resolve().parent.parent

# Port 1 is reserved (tcpmux) and nothing listens on it here: a refused connection, at once.
CLOSED_PORT_URL = "redis://127.0.0.1:1/0"

pytestmark = pytest.mark.django_db(transaction=True)


def in_a_thread_of_its_own(function: Callable[..., Result], *args: Any, **kwargs: Any) -> Result:
    """Like a server thread, which never has an event loop running.

    Playwright's sync API (tests/browser_fixtures.py) keeps one running in the test thread for
    the rest of the session, and Django cannot run the (async) health view from such a thread.
    """
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(function, *args, **kwargs).result()


def get(client: Client, url: str, **headers: str) -> Any:  # the test client's response
    return in_a_thread_of_its_own(client.get, url, headers=headers)


def health(client: Client) -> tuple[int, dict[str, str]]:
    response = get(client, "/health/", accept="application/json")
    return response.status_code, response.json()


def test_a_healthy_process_answers_200_and_lists_every_check(client: Client) -> None:
    status, checks = health(client)

    assert status == 200
    assert checks == {
        "Database(alias='default')": "OK",
        "Cache(alias='default')": "OK",
        "Broker()": "OK",
        "Migrations(alias='default')": "OK",
    }


def test_json_is_also_given_for_the_format_parameter(client: Client) -> None:
    response = get(client, "/health/?format=json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_the_health_endpoint_needs_no_login_and_no_organization(client: Client) -> None:
    # The anonymous `client` above; a person signed in elsewhere sees the same.
    response = get(client, "/health/", accept="text/plain")

    assert response.status_code == 200
    assert "login" not in response.get("Location", "")


def test_it_answers_every_probe_of_a_busy_load_balancer(client: Client) -> None:
    statuses = {health(client)[0] for _ in range(30)}

    assert statuses == {200}


@override_settings(
    CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                        "LOCATION": CLOSED_PORT_URL}}
)  # fmt: skip
def test_an_unreachable_cache_fails_the_check_without_saying_where_it_is(client: Client) -> None:
    status, checks = health(client)

    assert status == 500
    assert checks["Cache(alias='default')"] == "Unexpected Result: see the server log"
    assert checks["Database(alias='default')"] == "OK"
    assert "127.0.0.1" not in str(checks)


def test_an_unreachable_broker_fails_its_check() -> None:
    broker = Celery("unreachable", broker=CLOSED_PORT_URL, set_as_current=False)

    result = in_a_thread_of_its_own(asyncio.run, Broker(app=broker).get_result())

    assert str(result.error) == "Unavailable: see the server log"


@pytest.fixture
def latest_audit_migration_unapplied() -> Iterator[None]:
    """A release whose newest migration has not run yet: the row is taken out of the history."""
    recorder = MigrationRecorder(connection)
    app, name = max(key for key in recorder.applied_migrations() if key[0] == "audit")
    recorder.record_unapplied(app, name)
    try:
        yield
    finally:
        recorder.record_applied(app, name)


@pytest.mark.usefixtures("latest_audit_migration_unapplied")
def test_an_unapplied_migration_makes_the_process_unhealthy(client: Client) -> None:
    status, checks = health(client)

    assert status == 500
    assert checks["Migrations(alias='default')"] == "Unavailable: see the server log"
    assert checks["Database(alias='default')"] == "OK"


@override_settings(SECURE_SSL_REDIRECT=True)
def test_a_load_balancer_probing_over_plain_http_is_not_redirected(client: Client) -> None:
    assert get(client, "/o/acme/").status_code == 301

    assert get(client, "/health/?format=json").status_code == 200


def test_docker_compose_marks_web_healthy_by_the_health_endpoint() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    probe = " ".join(compose["services"]["web"]["healthcheck"]["test"])

    assert "'/health/?format=json'" in probe
    assert "status != 200" in probe
