"""In development, EMAIL_URL alone decides where mail goes (the file backend when unset)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = (
    "from django.conf import settings; "
    "print(settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, "
    "settings.EMAIL_FILE_PATH)"
)


def development_email_settings(**environment: str) -> list[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("EMAIL_")}
    env.update(DJANGO_SETTINGS_MODULE="perfmgmt.settings.dev", **environment)
    result = subprocess.run(  # noqa: S603  (this interpreter, a fixed script)
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_development_writes_mail_to_files_when_no_email_url_is_set():
    backend, *_, file_path = development_email_settings()
    assert backend == "django.core.mail.backends.filebased.EmailBackend"
    assert file_path.endswith(os.path.join(".local", "sent-emails"))


def test_an_email_url_alone_switches_development_to_that_mail_server():
    backend, host, port, *_ = development_email_settings(EMAIL_URL="smtp://127.0.0.1:2525")
    assert (backend, host, port) == (
        "django.core.mail.backends.smtp.EmailBackend",
        "127.0.0.1",
        "2525",
    )


def test_a_leftover_email_backend_variable_no_longer_overrides_the_email_url():
    backend, *_ = development_email_settings(
        EMAIL_URL="consolemail://",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
    )
    assert backend == "django.core.mail.backends.console.EmailBackend"
