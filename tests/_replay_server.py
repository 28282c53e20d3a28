"""A tiny real HTTP server on 127.0.0.1 that records requests and replays scripted answers.

Unit tests of the transport and the clients talk to it over real sockets, so nothing of ours is
mocked: each test scripts the statuses, headers and fixture bodies Bandwidth would send.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "bandwidth"

#: A scripted answer that closes the connection without replying (a connection error).
DROP = "drop"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    at: float  # time.time() when the request arrived


Answer = Reply | str
Responder = Callable[[Recorded], Answer]


class ReplayServer:
    """Answers each request with the next scripted reply (the last one repeats)."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._script: list[Answer] = []
        self._responder: Responder | None = None
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                parts = urlsplit(self.path)
                rec = Recorded(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query, keep_blank_values=True),
                    headers={k: v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                    at=time.time(),
                )
                answer = server._next(rec)
                if answer == DROP:
                    self.close_connection = True
                    return
                assert isinstance(answer, Reply)
                self.send_response(answer.status)
                for key, value in answer.headers.items():
                    self.send_header(key, value)
                if answer.status not in (204, 304):
                    self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                if answer.body and answer.status not in (204, 304):
                    self.wfile.write(answer.body)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()

    def script(self, *answers: Answer) -> None:
        with self._lock:
            self._script = list(answers)
            self._responder = None
            self.requests.clear()

    def respond_with(self, responder: Responder) -> None:
        with self._lock:
            self._responder = responder
            self.requests.clear()

    def _next(self, rec: Recorded) -> Answer:
        with self._lock:
            self.requests.append(rec)
            if self._responder is not None:
                return self._responder(rec)
            if not self._script:
                return Reply(500, b"unscripted request")
            return self._script.pop(0) if len(self._script) > 1 else self._script[0]

    @property
    def last(self) -> Recorded:
        return self.requests[-1]

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def serve() -> Iterator[ReplayServer]:
    """Generator body for a pytest fixture."""
    server = ReplayServer()
    try:
        yield server
    finally:
        server.close()


def xml_reply(name: str, status: int = 200, **headers: str) -> Reply:
    return Reply(status, fixture(name), {"Content-Type": "application/xml", **headers})


def json_reply(name_or_body: str | bytes, status: int = 200, **headers: str) -> Reply:
    body = name_or_body if isinstance(name_or_body, bytes) else fixture(name_or_body)
    return Reply(status, body, {"Content-Type": "application/json", **headers})
