"""A seeded random fault proxy on 127.0.0.1, in front of the emulator (the soak, issue #15).

Every request the provider sends goes through it; a fraction ``rate`` of them is faulted, each
fault kind equally likely (or the kinds chosen):

- ``503``: answered 503 without forwarding (Bandwidth never saw it);
- ``429``: answered 429 without forwarding, with Bandwidth's rate-limit headers: the Dashboard's
  empty body and ``X-RateLimit-Reset`` in epoch seconds, Catapult's JSON body and the header in
  epoch milliseconds (bandwidth-api.md 1.6 and 9, tests/fixtures/bandwidth/*429*);
- ``reset``: the connection reset without forwarding;
- ``delay``: forwarded after a short pause (at most ``max_delay`` seconds), answered normally;
- ``lose-answer``: forwarded (processed), then the connection closed without an answer;
- ``forward-reset``: forwarded (processed), then the connection reset instead of answering.

Decisions are drawn per request from ``(seed, request key, occurrence)``: the key is the method,
the path with object ids masked, the query's parameter names and the phone numbers in the body, so
a seed faults the same requests on every run as far as the engine's parallelism and the number of
order polls allow. Only the proxy's own clients are faulted: the soak checks the emulator directly.
"""

from __future__ import annotations

import http.client
import json
import math
import random
import re
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal
from urllib.parse import parse_qsl, urlsplit

__all__ = [
    "DISRUPTIVE",
    "KINDS",
    "Fault",
    "FaultPlan",
    "FaultProxy",
    "Kind",
    "fault_proxy",
    "request_key",
]

Kind = Literal["503", "429", "reset", "delay", "lose-answer", "forward-reset"]
KINDS: tuple[Kind, ...] = ("503", "429", "reset", "delay", "lose-answer", "forward-reset")
#: Kinds that fail the request as the client sees it (a delay only slows it down).
DISRUPTIVE: frozenset[Kind] = frozenset(k for k in KINDS if k != "delay")
#: Forwarding time-out: the emulator answers in milliseconds.
UPSTREAM_TIMEOUT = 60.0
_HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "content-length",
}
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_CATAPULT_ID = re.compile(r"\b[anm]-[a-z0-9]{23}\b")
_NUMBER = re.compile(r"(?<!\d)(?:\+?1)?([2-9]\d{9})(?!\d)")


def request_key(method: str, target: str, body: bytes) -> str:
    """What identifies a request across runs: ids masked, query values and bodies reduced to
    the parameter names and the phone numbers they name (order ids and dates differ per run)."""
    parts = urlsplit(target)
    path = _CATAPULT_ID.sub("{id}", _UUID.sub("{uuid}", parts.path))
    names = sorted({name for name, _ in parse_qsl(parts.query, keep_blank_values=True)})
    numbers = sorted(set(_NUMBER.findall(body.decode("utf-8", "replace"))))
    return f"{method} {path} ?{','.join(names)} #{','.join(numbers)}"


@dataclass(frozen=True)
class Decision:
    kind: Kind | None
    delay_s: float = 0.0


class FaultPlan:
    """Seeded per-request draws: ``rate`` of the requests faulted, kinds equally likely."""

    def __init__(
        self,
        seed: int,
        rate: float,
        kinds: Sequence[Kind] = KINDS,
        *,
        max_delay: float = 1.0,
    ) -> None:
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"the fault rate must be between 0 and 1, not {rate}")
        unknown = set(kinds) - set(KINDS)
        if unknown or not kinds:
            raise ValueError(f"fault kinds must be some of {', '.join(KINDS)}")
        self.seed = seed
        self.rate = rate
        self.kinds = tuple(kinds)
        self.max_delay = max_delay
        self._seen: Counter[str] = Counter()
        self._lock = threading.Lock()

    def decide(self, method: str, target: str, body: bytes) -> Decision:
        key = request_key(method, target, body)
        with self._lock:
            self._seen[key] += 1
            occurrence = self._seen[key]
        rng = random.Random(f"{self.seed}|{key}|{occurrence}")  # str seeds hash stably
        if rng.random() >= self.rate:
            return Decision(None)
        kind = rng.choice(self.kinds)
        delay = rng.uniform(0.1, self.max_delay) if kind == "delay" else 0.0
        return Decision(kind, delay)


@dataclass(frozen=True)
class Fault:
    """One faulted request: when (seconds since the proxy started), what and how."""

    at: float
    method: str
    path: str
    kind: Kind

    def describe(self) -> str:
        return f"{self.kind} on {self.method} {self.path}"


class FaultProxy:
    """The running proxy: its URLs and every request and fault so far (thread-safe)."""

    def __init__(self, base_url: str, plan: FaultPlan) -> None:
        self.base_url = base_url
        self.plan = plan
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._requests = 0
        self._started = time.monotonic()

    @property
    def dashboard_url(self) -> str:
        return self.base_url + "/api"

    @property
    def catapult_url(self) -> str:
        return self.base_url

    @property
    def requests(self) -> int:
        with self._lock:
            return self._requests

    def faults(self, since: int = 0) -> list[Fault]:
        """Faults from index ``since`` on (``len(proxy.faults())`` marks a point in time)."""
        with self._lock:
            return self._faults[since:]

    def _record(self, method: str, target: str, kind: Kind | None) -> None:
        with self._lock:
            self._requests += 1
            if kind is not None:
                path = urlsplit(target).path
                self._faults.append(Fault(time.monotonic() - self._started, method, path, kind))


def _too_many(target: str, method: str, client: str) -> tuple[dict[str, str], bytes]:
    """Bandwidth's 429 for this path: headers and body, reset about a second from now."""
    reset = time.time() + 1.0
    if urlsplit(target).path.startswith("/api/"):
        return {"X-RateLimit-Reset": str(math.ceil(reset))}, b""
    millis = str(math.ceil(reset * 1000))
    details = [
        {"name": "rateLimitResetTime", "value": millis},
        {"name": "requestMethod", "value": method},
        {"name": "remoteAddress", "value": client},
        {"name": "requestPath", "value": urlsplit(target).path.removeprefix("/v1/")},
    ]
    body = {"category": "too-many-requests", "code": "rate-limit-reached", "details": details}
    headers = {"X-RateLimit-Reset": millis, "Content-Type": "application/json"}
    return headers, json.dumps(body).encode()


@contextmanager
def fault_proxy(upstream: str, plan: FaultPlan) -> Iterator[FaultProxy]:
    """A proxy on a free 127.0.0.1 port in front of ``upstream`` (``http://host:port``).

    The ``Host`` header is passed on, so the emulator's ``Location`` and ``Link`` URLs point
    back at the proxy and follow-up requests are faulted too.
    """
    origin = urlsplit(upstream)
    if origin.scheme != "http" or origin.hostname is None or origin.port is None:
        raise ValueError(f"upstream must be http://host:port, not {upstream!r}")
    up_host, up_port = origin.hostname, origin.port
    state: list[FaultProxy] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            return None

        def _handle(self) -> None:
            proxy = state[0]
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            decision = proxy.plan.decide(self.command, self.path, body)
            proxy._record(self.command, self.path, decision.kind)
            kind = decision.kind
            if kind == "503":
                self._answer(503, {}, b"")
                return
            if kind == "429":
                limit, content = _too_many(self.path, self.command, self.client_address[0])
                self._answer(429, limit, content)
                return
            if kind == "reset":
                self._reset()
                return
            if kind == "delay":
                time.sleep(decision.delay_s)
            status, headers, content = self._forward(body)
            if kind == "lose-answer":
                self.close_connection = True  # processed upstream; the answer is never sent
            elif kind == "forward-reset":
                self._reset()
            else:
                self._answer(status, headers, content)

        def _forward(self, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
            conn = http.client.HTTPConnection(up_host, up_port, timeout=UPSTREAM_TIMEOUT)
            try:
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
                conn.request(self.command, self.path, body=body or None, headers=headers)
                response = conn.getresponse()
                return response.status, response.getheaders(), response.read()
            finally:
                conn.close()

        def _answer(
            self,
            status: int,
            headers: dict[str, str] | list[tuple[str, str]],
            content: bytes,
        ) -> None:
            self.send_response(status)
            items = list(headers.items()) if isinstance(headers, dict) else headers
            for key, value in items:
                if key.lower() not in _HOP_BY_HOP:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(content)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(content)
            self.close_connection = True

        def _reset(self) -> None:
            # SO_LINGER 0: closing sends RST instead of FIN, as a dropped network path does.
            linger = struct.pack("ii", 1, 0)
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
            self.connection.close()
            self.close_connection = True

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.append(FaultProxy(f"http://127.0.0.1:{server.server_address[1]}", plan))
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="soak-fault-proxy"
    )
    thread.start()
    try:
        yield state[0]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
