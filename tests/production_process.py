"""Run a short script in a process of its own under the production settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_with_production_settings(
    script: str,
    *args: str,
    unset: tuple[str, ...] = (),
    environment: dict[str, str] | None = None,
    timeout: int = 120,
) -> str:
    """The script's standard output. Variables starting with a name in `unset` are left out
    of the environment; `environment` is added on top of a minimal production one."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key != "DJANGO_SETTINGS_MODULE" and not key.startswith(unset)
    }
    env.update(
        DJANGO_SETTINGS_MODULE="perfmgmt.settings.production",
        SECRET_KEY="test-only-not-a-secret-" + "x" * 40,
        ALLOWED_HOSTS="localhost",
    )
    env.update(environment or {})
    result = subprocess.run(  # noqa: S603  (this interpreter, a fixed script)
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout
