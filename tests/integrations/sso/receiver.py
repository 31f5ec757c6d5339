"""A local server (http.server on 127.0.0.1 in a thread) standing for an internal service an
owner might point single sign-on at: it records every request and answers what it is told."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Receiver:
    port: int = 0
    status: int = 200
    body: bytes = b""
    location: str = ""
    received: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # path, headers
    connections: int = 0  # also those that never sent a request (a TLS handshake, say)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            receiver.received.append((self.path, dict(self.headers.items())))
            self.send_response(receiver.status)
            if receiver.location:
                self.send_header("Location", receiver.location)
            self.send_header("Content-Length", str(len(receiver.body)))
            self.end_headers()
            self.wfile.write(receiver.body)

        do_GET = do_POST = _answer

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


class _CountingServer(ThreadingHTTPServer):
    receiver: Receiver

    def verify_request(self, request: Any, client_address: Any) -> bool:
        self.receiver.connections += 1
        return True


@contextmanager
def running_receiver(*, tls: ssl.SSLContext | None = None, **answer: Any) -> Iterator[Receiver]:
    """A receiver for the test's duration; with `tls`, it speaks https."""
    state = Receiver(**answer)
    server = _CountingServer(("127.0.0.1", 0), _handler(state))
    server.receiver = state
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
