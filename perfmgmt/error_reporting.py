"""Errors of the web and Celery processes go to Sentry when SENTRY_DSN is set; off otherwise.

No personal data is sent (no user, cookies, request bodies or client address), the secrets
in a URL are replaced as in the logs (perfmgmt/logs.py), and performance tracing stays off
unless SENTRY_TRACES_SAMPLE_RATE asks for it. Called from the settings.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from perfmgmt.logs import redact_path, redact_query


def init_sentry(*, dsn: str, environment: str, traces_sample_rate: float | None) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
        before_send=redact_event,
    )


def redact_event(event: Any, _hint: Any = None) -> Any:
    """`before_send`: the request's URL without its secrets, the query without its values."""
    request = event.get("request")
    if isinstance(request, dict):
        if isinstance(request.get("url"), str):
            scheme, host, path, _, fragment = urlsplit(request["url"])
            request["url"] = urlunsplit((scheme, host, redact_path(path), "", fragment))
        if isinstance(request.get("query_string"), str):
            request["query_string"] = redact_query(request["query_string"]).lstrip("?")
    return event
