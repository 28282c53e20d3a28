"""A loopback HTTP proxy in front of the emulator that fails the requests a test scripts.

The emulator's own faults strike before a request is processed, and at random. The proxy fails
chosen requests over real sockets, before or after forwarding them: a lost *answer* to a request
that was processed is the case a create must resume without duplicating or stealing.

Actions:

- ``"forward"``: pass the request on and its answer back (every unscripted request);
- ``"503"``: answer 503 without forwarding (Bandwidth never saw it);
- ``"404"``: answer 404 without forwarding (a look-up that has not caught up yet);
- ``"403"``: answer 403 without forwarding (credentials without the role, bandwidth-api.md 1.2);
- ``"reset"``: reset the connection without forwarding;
- ``"lose-answer"``: forward, then close the connection without answering;
- ``"forward-reset"``: forward, then reset the connection instead of answering.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal

import requests

Action = Literal["forward", "503", "404", "403", "reset", "lose-answer", "forward-reset"]
#: Decides what happens to each request: ``(method, path with query) -> action``.
Decide = Callable[[str, str], Action]
_HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "content-encoding",
}


@dataclass(frozen=True)
class Step:
    """Apply ``action`` to the next request with this method whose path contains ``fragment``."""

    method: str
    fragment: str
    action: Action


class Script:
    """Faults applied in order: each step waits for the next request it matches (the query
    string left out), earlier steps first; every other request is forwarded untouched."""

    def __init__(self, *steps: Step) -> None:
        self._pending = list(steps)
        self._lock = threading.Lock()
        #: ``(method, path, action)`` of every scripted request handled so far.
        self.applied: list[tuple[str, str, Action]] = []

    @property
    def pending(self) -> list[Step]:
        """Steps no request has matched yet (a test expects none left)."""
        with self._lock:
            return list(self._pending)

    def __call__(self, method: str, path: str) -> Action:
        bare = path.split("?")[0]
        with self._lock:
            if self._pending:
                step = self._pending[0]
                if step.method == method and step.fragment in bare:
                    self._pending.pop(0)
                    self.applied.append((method, bare, step.action))
                    return step.action
        return "forward"


def forward_all(method: str, path: str) -> Action:
    """Fail nothing: a plain proxy (with an :class:`InFlight` gauge, say)."""
    return "forward"


class InFlight:
    """Requests the proxy is handling at once; ``peak`` is the most it has seen.

    Observes concurrency directly, so a test of parallel calls needs no wall-clock bound.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.now = 0
        self.peak = 0

    def __enter__(self) -> None:
        with self._lock:
            self.now += 1
            self.peak = max(self.peak, self.now)

    def __exit__(self, *_exc: object) -> None:
        with self._lock:
            self.now -= 1


def lose_first(method: str, fragment: str) -> Script:
    """Lose only the first answer to ``method`` on a path containing ``fragment``."""
    return Script(Step(method, fragment, "lose-answer"))


class _Server(ThreadingHTTPServer):
    # The default listen backlog of 5 is below a bulk bind's 16 connections at once. An
    # overflowing accept queue delays or drops handshakes: unscripted trouble, and the suspect
    # for one CI run that counted a resend more than the script made.
    request_queue_size = 128


@contextmanager
def lossy_proxy(upstream: str, decide: Decide, in_flight: InFlight | None = None) -> Iterator[str]:
    """Yield the proxy's base URL (``upstream``'s path included)."""
    scheme_host, _, base_path = upstream.partition("//")[2].partition("/")
    origin = upstream.split("//")[0] + "//" + scheme_host
    session = requests.Session()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return None

        def _handle(self) -> None:
            with in_flight or nullcontext():
                self._relay()

        def _relay(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            action = decide(self.command, self.path)
            if action in ("503", "404", "403"):
                self._answer(int(action), {}, b"")
                return
            if action == "reset":
                self._reset()
                return
            headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
            answer = session.request(
                self.command, origin + self.path, data=body, headers=headers, timeout=30
            )
            if action == "lose-answer":
                self.close_connection = True  # processed upstream, answer never delivered
            elif action == "forward-reset":
                self._reset()
            else:
                self._answer(answer.status_code, dict(answer.headers), answer.content)

        def _answer(self, status: int, headers: dict[str, str], content: bytes) -> None:
            self.send_response(status)
            for key, value in headers.items():
                if key.lower() not in _HOP_BY_HOP:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(content)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(content)

        def _reset(self) -> None:
            # SO_LINGER 0: closing sends RST instead of FIN, as a dropped network path does.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True

        do_GET = do_POST = do_PUT = do_DELETE = _handle

    server = _Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        port = server.server_address[1]
        yield f"http://127.0.0.1:{port}" + (f"/{base_path}" if base_path else "")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
        session.close()
