"""Logging: structlog through the standard library, rendered as JSON or for a console.

`LOG_FORMAT=json` (see settings) writes one JSON object a line, with the request id, the user
id and the organization slug bound for the request or task (django-structlog binds the first
two, perfmgmt.tenancy.context the slug). Secrets in URLs (invitation tokens, password reset
and email confirmation keys) and every query string value are replaced before any line is
written; request headers and bodies are never logged.

Imported by the settings: nothing here may import Django models or read settings at import.
"""

from __future__ import annotations

import logging
from typing import Any

import structlog
from structlog.typing import EventDict, Processor

# URL parameters that are secrets by themselves (ours and allauth's).
SECRET_URL_PARAMETERS = frozenset({"token", "key", "uidb36"})
REDACTED = "[redacted]"


def redact_path(path: str) -> str:
    """`path` with the values of secret URL parameters replaced."""
    from django.urls import Resolver404, resolve

    try:
        match = resolve(path)
    except Resolver404:
        return path
    for name, value in match.kwargs.items():
        if name in SECRET_URL_PARAMETERS and isinstance(value, str) and value:
            path = path.replace(value, REDACTED)
    return path


def redact_query(query: str) -> str:
    """Keep the names of a query string's parameters, never their values (a `next` URL can
    hold an invitation token)."""
    if not query:
        return ""
    names = (part.partition("=")[0] for part in query.split("&") if part)
    return "?" + "&".join(f"{name}={REDACTED}" for name in names)


def redact_url(url: str) -> str:
    path, _, query = url.partition("?")
    return redact_path(path) + redact_query(query)


def _redact_request_line(_: Any, __: str, event_dict: EventDict) -> EventDict:
    """django-structlog logs the request as "GET /path?query"."""
    line = event_dict.get("request")
    if isinstance(line, str) and " " in line:
        method, _, url = line.partition(" ")
        event_dict["request"] = f"{method} {redact_url(url)}"
    return event_dict


class RedactRequestPaths(logging.Filter):
    """Django's own request log ("Not Found: /invitations/<token>/") names the path."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if path and isinstance(record.args, tuple):
            record.args = tuple(redact_path(path) if arg == path else arg for arg in record.args)
        return True


# Applied to structlog's events and to records of the standard library alike.
_SHARED_PROCESSORS: list[Processor] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    _redact_request_line,
]


def configure_structlog() -> None:
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_SHARED_PROCESSORS,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.processors.UnicodeDecoder(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def _renderer(log_format: str) -> Processor:
    if log_format == "json":
        return structlog.processors.JSONRenderer()
    return structlog.dev.ConsoleRenderer(colors=False)


def logging_config(*, log_format: str, level: str) -> dict[str, Any]:
    """The LOGGING setting: everything to standard error, as JSON or for a console."""
    if log_format not in {"json", "console"}:
        raise ValueError(f"LOG_FORMAT must be 'json' or 'console', not {log_format!r}")
    tracebacks = structlog.processors.dict_tracebacks if log_format == "json" else None
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact_request_paths": {"()": RedactRequestPaths}},
        "formatters": {
            "structured": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    *([tracebacks] if tracebacks else []),
                    _renderer(log_format),
                ],
                "foreign_pre_chain": _SHARED_PROCESSORS,
            },
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        # On the logger, not the handler: Sentry's breadcrumbs see the record redacted too.
        "loggers": {"django.request": {"filters": ["redact_request_paths"]}},
        "root": {"handlers": ["console"], "level": level},
    }


def bind_client_address(request: Any, **_: Any) -> None:
    """django-structlog's `bind_extra_request_metadata`: the client as our proxies saw it."""
    from perfmgmt.accounts.client_address import client_address

    structlog.contextvars.bind_contextvars(ip=client_address(request))
