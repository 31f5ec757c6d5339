"""The production settings are safe to deploy when given a real secret key and host."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.production_process import run_with_production_settings

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


def production_proxy_counts(**environment: str) -> list[int]:
    """What production settings trust, for allauth, DRF and our own client address."""
    script = (
        "import django; from django.conf import settings; django.setup(); "
        "from allauth import app_settings as allauth; "
        "from rest_framework.settings import api_settings as drf; "
        "print(settings.TRUSTED_PROXY_COUNT, allauth.TRUSTED_PROXY_COUNT, drf.NUM_PROXIES)"
    )
    output = run_with_production_settings(
        script, unset=("TRUSTED_PROXY_COUNT",), environment=environment
    )
    return [int(count) for count in output.split()]


def test_production_trusts_the_one_reverse_proxy_the_readme_documents_by_default():
    assert production_proxy_counts() == [1, 1, 1]


def test_production_reads_the_trusted_proxy_count_from_the_environment():
    assert production_proxy_counts(TRUSTED_PROXY_COUNT="2") == [2, 2, 2]
    assert production_proxy_counts(TRUSTED_PROXY_COUNT="0") == [0, 0, 0]


def test_docker_compose_passes_the_trusted_proxy_count_to_web():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    environment = compose["services"]["web"]["environment"]
    assert environment["TRUSTED_PROXY_COUNT"] == "${TRUSTED_PROXY_COUNT:-1}"


def test_the_production_image_can_collect_and_fingerprint_every_static_file(tmp_path):
    # What the Dockerfile runs at build time: the manifest storage fails on any stylesheet
    # that points at a file that is not there.
    script = (
        "import django, sys; from django.conf import settings; django.setup(); "
        "settings.STATIC_ROOT = sys.argv[1]; "
        "from django.core.management import call_command; "
        "call_command('collectstatic', interactive=False, verbosity=0)"
    )
    run_with_production_settings(script, str(tmp_path), timeout=300)
    assert (tmp_path / "staticfiles.json").exists()


def test_production_keeps_parsed_templates_between_requests():
    """Every page extends base.html and includes the header: parsing them on each request
    would cost more than the page layout's own work."""
    script = (
        "import django; django.setup()\n"
        "from django.template import engines\n"
        "loaders = engines['django'].engine.template_loaders\n"
        "print(' '.join(type(loader).__module__ for loader in loaders))\n"
    )
    assert run_with_production_settings(script).split() == ["django.template.loaders.cached"]


def test_each_xdist_worker_gets_a_redis_database_of_its_own() -> None:
    from django.core.exceptions import ImproperlyConfigured

    from perfmgmt.settings.test import _worker_redis

    assert _worker_redis("redis://127.0.0.1:6379/15", "") == "redis://127.0.0.1:6379/15"
    assert _worker_redis("redis://127.0.0.1:6379/15", "gw0") == "redis://127.0.0.1:6379/15"
    assert _worker_redis("redis://:pw@cache:6380/15", "gw3") == "redis://:pw@cache:6380/12"
    with pytest.raises(ImproperlyConfigured, match="gw16"):
        _worker_redis("redis://127.0.0.1:6379/15", "gw16")
