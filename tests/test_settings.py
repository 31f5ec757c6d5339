"""The production settings are safe to deploy when given a real secret key and host."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_check(**environment: str) -> subprocess.CompletedProcess[str]:
    # Only what a deployment has: not the test settings module, nor the async-safety opt-out
    # that the browser tests set for their own process.
    left_out = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in left_out}
    env.update(DJANGO_SETTINGS_MODULE="perfmgmt.settings.production", **environment)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deployment_checklist():
    result = run_check(SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="perf.example.com")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run_check(ALLOWED_HOSTS="perf.example.com", SECRET_KEY="")
    assert result.returncode != 0


def test_a_weak_secret_key_fails_the_deployment_checklist():
    result = run_check(SECRET_KEY="short", ALLOWED_HOSTS="perf.example.com")
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_the_production_image_can_collect_and_fingerprint_every_static_file(tmp_path):
    # What the Dockerfile runs at build time: the manifest storage fails on any stylesheet
    # that points at a file that is not there.
    script = (
        "import django, sys; from django.conf import settings; django.setup(); "
        "settings.STATIC_ROOT = sys.argv[1]; "
        "from django.core.management import call_command; "
        "call_command('collectstatic', interactive=False, verbosity=0)"
    )
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DJANGO_SETTINGS_MODULE="perfmgmt.settings.production",
        SECRET_KEY="collectstatic-only-not-a-secret",
        ALLOWED_HOSTS="localhost",
    )
    result = subprocess.run(  # noqa: S603  (this interpreter, a fixed script)
        [sys.executable, "-c", script, str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles.json").exists()
