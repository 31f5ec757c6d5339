"""A local receiver (http.server on 127.0.0.1 in a thread) and endpoints pointing at it.

The receiver is reachable only through the test allowance
(`WEBHOOKS_ALLOW_PRIVATE_ADDRESSES_FOR_TESTS`), which the `receiver` fixture turns on; every
other test runs with the production rule (no loopback).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import override_settings

from perfmgmt.integrations.webhooks import services
from perfmgmt.integrations.webhooks.models import WebhookEndpoint
from perfmgmt.tenancy.context import organization_scope
from tests.conftest import OrgPeople
from tests.integrations.scim.conftest import scim, scim_for

__all__ = ["scim", "scim_for"]  # the fixtures, for test_member_events.py


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """What the receiver answers (`status`, `body`, `location`; `hold` keeps the request
    waiting until the test ends; 500 to a body `failing` says yes to) and what it received."""

    port: int = 0
    status: int = 204
    body: bytes = b""
    location: str = ""
    hold: bool = False
    failing: Callable[[bytes], bool] | None = None
    received: list[Received] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            receiver.received.append(Received(self.path, dict(self.headers.items()), body))
            if receiver.hold:
                receiver.released.wait(timeout=10)
                return
            failed = receiver.failing is not None and receiver.failing(body)
            self.send_response(500 if failed else receiver.status)
            if receiver.location:
                self.send_header("Location", receiver.location)
            self.send_header("Content-Length", str(len(receiver.body)))
            self.end_headers()
            self.wfile.write(receiver.body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A running receiver, and the test-only allowance to reach it on 127.0.0.1."""
    state = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with override_settings(
        WEBHOOKS_ALLOW_PRIVATE_ADDRESSES_FOR_TESTS=True, WEBHOOKS_READ_TIMEOUT_SECONDS=0.5
    ):
        yield state
    state.released.set()
    server.shutdown()
    server.server_close()


def register(
    org: OrgPeople, url: str, events: Iterable[str] = ("goal.created",)
) -> tuple[WebhookEndpoint, str]:
    """An endpoint registered by the owner, as the pages do."""
    with organization_scope(org.organization):
        return services.endpoint_create(actor=org.owner, url=url, event_types=list(events))
