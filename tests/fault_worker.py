"""A real Celery worker process for fault tests, and the test's handle on it.

`CeleryWorkerProcess` starts `python -m tests.fault_worker`: a prefork worker of the
project's Celery app (the same tasks, settings and pool as production) consuming from a
throwaway broker (tests/faults.py), on the test database, sending email to a local SMTP
server. What a test may change is passed through the environment:

* ``FAULT_VISIBILITY_TIMEOUT``: the broker's visibility timeout in seconds (how long a dead
  worker's messages wait before they are delivered again), so a test waits seconds, not
  the production 14 minutes; the unacked messages are looked for every second. Like
  production, keep it above the longest task the test runs, or a task still running is
  handed to a second worker process as well.
* ``FAULT_LEDGER_BATCH`` and ``FAULT_BATCH_PAUSE``: smaller ledger batches with a pause
  after each, so a sweep is long enough to be killed in the middle.

`kill()` sends SIGKILL to the worker's main process (its pool children die with it: Celery
sets their parent-death signal), as the kernel's OOM killer or a lost machine would.
`stop()` kills, by their recorded ids, whatever of this worker is still alive.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent


def database_url(settings_dict: dict[str, Any]) -> str:
    """The URL of the database Django is connected to (the test database)."""
    user = quote(str(settings_dict.get("USER") or ""))
    password = settings_dict.get("PASSWORD") or ""
    credentials = f"{user}:{quote(str(password))}@" if password else f"{user}@"
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{quote(str(settings_dict['NAME']))}"


def eventually(
    condition: Callable[[], Any], *, timeout: float, what: str, every: float = 0.1
) -> Any:
    """Poll `condition` until it returns something true (returned), or fail after `timeout`
    seconds saying `what` did not happen. Generous timeouts: the machine may be loaded."""
    deadline = time.monotonic() + timeout
    while True:
        outcome = condition()
        if outcome:
            return outcome
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout:.0f} s waiting until {what}")
        time.sleep(every)


class CeleryWorkerProcess:
    def __init__(
        self,
        *,
        name: str,
        broker_url: str,
        database: str,
        smtp_port: int,
        log_folder: Path,
        concurrency: int = 1,
        visibility_timeout: int = 10,
        ledger_batch: int | None = None,
        batch_pause: float | None = None,
    ) -> None:
        self.name = name
        self.log_path = log_folder / f"worker-{name}.log"
        self.environment = {
            # Not the xdist worker's name: it would move the broker's database (settings.test).
            **{key: value for key, value in os.environ.items() if key != "PYTEST_XDIST_WORKER"},
            "DJANGO_SETTINGS_MODULE": "perfmgmt.settings.test",
            "DATABASE_URL": database,
            # The broker and the cache: the throwaway Redis, never the shared one.
            "TEST_REDIS_URL": broker_url,
            "FAULT_WORKER_NAME": name,
            "FAULT_CONCURRENCY": str(concurrency),
            "FAULT_SMTP_PORT": str(smtp_port),
            "FAULT_VISIBILITY_TIMEOUT": str(visibility_timeout),
        }
        if ledger_batch is not None:
            self.environment["FAULT_LEDGER_BATCH"] = str(ledger_batch)
        if batch_pause is not None:
            self.environment["FAULT_BATCH_PAUSE"] = str(batch_pause)
        self.process: Any = None
        self._log: IO[bytes] | None = None
        # pid -> its start time, so a pid the system reused for another process is left alone.
        self.started: dict[int, str] = {}

    def start(self) -> None:
        import subprocess

        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.fault_worker"],
            cwd=ROOT,
            env=self.environment,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._remember(self.process.pid)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return int(self.process.pid)

    def children(self) -> set[int]:
        """The pool processes of the worker (its direct children), remembered for cleanup."""
        found = set()
        for entry in Path("/proc").iterdir():
            fields = _stat(entry.name) if entry.name.isdigit() else None
            if fields is not None and int(fields[1]) == self.pid:
                found.add(int(entry.name))
                self._remember(int(entry.name))
        return found

    def _remember(self, pid: int) -> None:
        fields = _stat(str(pid))
        if fields is not None:
            self.started[pid] = fields[19]

    def kill(self) -> None:
        """SIGKILL the main process; wait until it and its pool processes are gone."""
        children = self.children()
        os.kill(self.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        eventually(
            lambda: not any(self._alive(pid) for pid in children),
            timeout=30,
            what=f"the pool processes {sorted(children)} died with their worker",
        )

    def stop(self) -> None:
        """Kill whatever this worker started that still lives (only those ids)."""
        if self.process is not None and self.process.poll() is None:
            self.children()
        for pid in sorted(self.started):
            if self._alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        if self.process is not None:
            self.process.wait(timeout=30)
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def _alive(self, pid: int) -> bool:
        """Ours and running (a zombie is dead, waiting for its parent to reap it)."""
        fields = _stat(str(pid))
        return fields is not None and fields[0] != "Z" and fields[19] == self.started.get(pid)


def _stat(pid: str) -> list[str] | None:
    """/proc/<pid>/stat after the command name: state, parent, ... (start time is [19])."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # gone meanwhile
        return None


# --- Inside the worker process ------------------------------------------------------------


def _configure_worker() -> Any:
    import django

    django.setup()
    from django.conf import settings

    from perfmgmt.celery import app

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", int(os.environ["FAULT_SMTP_PORT"])
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    app.conf.update(
        # The test settings run tasks eagerly; a worker publishes what its tasks queue.
        task_always_eager=False,
        broker_transport_options={
            **settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            "visibility_timeout": int(os.environ["FAULT_VISIBILITY_TIMEOUT"]),
            "unacked_restore_interval": 1,
            "unacked_restore_throttle": 1,
        },
    )
    _slow_down_the_ledger()
    return app


def _slow_down_the_ledger() -> None:
    from perfmgmt.notifications import ledger

    if "FAULT_LEDGER_BATCH" in os.environ:
        ledger.BATCH = int(os.environ["FAULT_LEDGER_BATCH"])
    pause = float(os.environ.get("FAULT_BATCH_PAUSE", "0"))
    if not pause:
        return
    insert = ledger.notify_many

    def notify_many_then_pause(*args: Any, **kwargs: Any) -> list[int]:
        created = insert(*args, **kwargs)
        time.sleep(pause)  # after the batch committed: a window to be killed in
        return created

    ledger.notify_many = notify_many_then_pause


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfmgmt.settings.test")
    app = _configure_worker()
    app.worker_main(
        [
            "worker",
            "--pool=prefork",
            f"--concurrency={os.environ.get('FAULT_CONCURRENCY', '1')}",
            "--loglevel=INFO",
            f"--hostname={os.environ.get('FAULT_WORKER_NAME', 'fault')}@%h",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
        ]
    )


if __name__ == "__main__":
    main()
