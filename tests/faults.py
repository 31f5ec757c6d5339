"""Throwaway servers for fault tests: never the shared ones.

`throwaway_redis()` starts a private redis-server on a free loopback port, with its files
in a new temporary folder, and yields a `ThrowawayRedis` that can `stop()` (an outage) and
`start()` again on the same port, count a queue's messages, and is shut down and removed
at the end. Tests that use it are skipped where redis-server is not installed.

`broker(url)` points the Celery app at such a server for the duration of a test and turns
eager execution off, so tasks are really published (and nothing consumes them unless the
test starts a worker, e.g. `celery.contrib.testing.worker.start_worker(app, pool="solo")`,
or a real worker process: tests/fault_worker.py).

`LocalSmtpServer` is a real SMTP server on a free loopback port that records what it
receives and can be stopped and started again; `UnreachableDatabase` points the default
database connection at a port where nothing listens.
"""

from __future__ import annotations

import email
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from kombu import pools

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import asyncore
    import smtpd  # the standard library's SMTP server (Python 3.11); no dependency needed

REDIS_SERVER = shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ThrowawayRedis:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        assert REDIS_SERVER is not None
        self.process = subprocess.Popen(  # noqa: S603 (a fixed binary, our own arguments)
            [
                REDIS_SERVER,
                *("--bind", "127.0.0.1", "--port", str(self.port), "--save", ""),
                *("--appendonly", "no", "--dir", str(self.folder)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait(up=True)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def client(self) -> Any:
        import redis

        return redis.Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=1)

    def queue_length(self, queue: str = "celery") -> int:
        return int(self.client().llen(queue))

    def messages(self, queue: str = "celery") -> list[bytes]:
        return list(self.client().lrange(queue, 0, -1))

    def _wait(self, *, up: bool) -> None:
        # Polling a readiness probe, not sleeping to wait for time-based behaviour.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if self.client().ping() and up:
                    return
            except Exception:  # not up yet
                if not up:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server on port {self.port} did not come up")


@contextmanager
def throwaway_redis() -> Iterator[ThrowawayRedis]:
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed")
    folder = Path(tempfile.mkdtemp(prefix="pm-fault-redis-"))
    server = ThrowawayRedis(folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def broker(url: str) -> Iterator[None]:
    """The Celery app publishes to `url` (really, not eagerly) inside the block."""
    from perfmgmt.celery import app

    saved = {
        "broker_url": app.conf.broker_url,
        "task_always_eager": app.conf.task_always_eager,
        "broker_connection_retry": app.conf.broker_connection_retry,
        "task_publish_retry_policy": app.conf.task_publish_retry_policy,
    }
    app.conf.update(broker_url=url)
    app.conf.task_always_eager = False
    # An outage should show within a second, not after kombu's default retries.
    app.conf.task_publish_retry_policy = {"max_retries": 1, "interval_start": 0}
    forget_broker_connections(app)
    try:
        yield
    finally:
        app.conf.update(saved)
        forget_broker_connections(app)


def forget_broker_connections(app: Any) -> None:
    """Forget pooled broker connections, so the next publish connects to the current url.

    Celery's pools are kombu's process-wide ones, registered per broker url: closing one
    and leaving it registered breaks every later publish to that url ("Acquire on closed
    pool"), so kombu's registry is emptied (closing its pools) and rebuilt on demand."""
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


class _Recorder(smtpd.SMTPServer):
    def __init__(self, port: int, received: list[email.message.Message], sockets: dict) -> None:
        self.received = received
        super().__init__(("127.0.0.1", port), ("127.0.0.1", 0), map=sockets, decode_data=False)

    def process_message(self, peer: Any, mailfrom: str, rcpttos: Any, data: Any, **_: Any) -> None:
        self.received.append(email.message_from_bytes(data))


class LocalSmtpServer:
    """A real SMTP server on 127.0.0.1 that keeps what it receives; stop() closes the port
    (senders get "connection refused"), start() opens it again on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[email.message.Message] = []
        self._thread: threading.Thread | None = None
        self._running = threading.Event()

    def start(self) -> None:
        sockets: dict = {}
        _Recorder(self.port, self.received, sockets)
        self._running.set()

        def serve() -> None:
            while self._running.is_set():
                asyncore.loop(timeout=0.05, count=1, map=sockets)
            asyncore.close_all(map=sockets)

        self._thread = threading.Thread(target=serve, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._running.clear()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None


class UnreachableDatabase:
    """Points the default connection at a port where no PostgreSQL listens (connection
    refused: a real OperationalError from psycopg) until `restore()`."""

    def __init__(self) -> None:
        self.port = str(connection.settings_dict["PORT"])

    def __enter__(self) -> UnreachableDatabase:
        connection.close()
        connection.settings_dict["PORT"] = str(free_port())
        return self

    def restore(self) -> None:
        connection.close()
        connection.settings_dict["PORT"] = self.port

    def __exit__(self, *_: object) -> None:
        self.restore()
