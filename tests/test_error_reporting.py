"""Errors go to Sentry only when SENTRY_DSN is set, and never with personal data or secrets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sentry_sdk

from perfmgmt.error_reporting import redact_event
from tests.production_process import run_with_production_settings

ROOT = Path(__file__).resolve().parent.parent

# A DSN of a host that cannot exist: initialising the client makes no network call.
DUMMY_DSN = "https://public@sentry.invalid/1"


def production_sentry_client(**environment: str) -> dict[str, Any]:
    """What the production settings set up, in a process of its own."""
    script = (
        "import json, django, sentry_sdk; django.setup(); "
        "client = sentry_sdk.get_client(); options = client.options; "
        "print(json.dumps({'active': client.is_active(), "
        "'pii': options['send_default_pii'], 'traces': options['traces_sample_rate'], "
        "'bodies': options['max_request_body_size'], "
        "'integrations': sorted(client.integrations)}))"
    )
    output = run_with_production_settings(script, unset=("SENTRY_",), environment=environment)
    return json.loads(output.splitlines()[-1])


def test_without_a_dsn_nothing_is_reported() -> None:
    assert sentry_sdk.get_client().is_active() is False


def test_production_without_a_dsn_reports_nothing() -> None:
    assert production_sentry_client()["active"] is False


def test_with_a_dsn_production_reports_django_and_celery_errors_without_personal_data() -> None:
    client = production_sentry_client(SENTRY_DSN=DUMMY_DSN)

    assert client["active"] is True
    assert {"django", "celery"} <= set(client["integrations"])
    assert client["pii"] is False
    assert client["bodies"] == "never"
    assert client["traces"] is None


def test_a_reported_request_keeps_no_invitation_token_and_no_query_values() -> None:
    event = {
        "request": {
            "url": "https://perf.example.com/invitations/secret-token-123/",
            "query_string": "next=/invitations/secret-token-123/&page=2",
        }
    }

    request = redact_event(event)["request"]

    assert request["url"] == "https://perf.example.com/invitations/[redacted]/"
    assert request["query_string"] == "next=[redacted]&page=[redacted]"
