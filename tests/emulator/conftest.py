"""Fixtures for the emulator's raw-HTTP tests: a running emulator and a callback receiver."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from _emu_helpers import Api, Received, Receiver

from bw_pulumi.emulator import Emulator


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(processing_seconds=0) as running:
        yield running


@pytest.fixture
def api(emu: Emulator) -> Api:
    return Api(emu)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            split = urlsplit(self.path)
            state.requests.append(
                Received(self.command, split.path, parse_qs(split.query), dict(self.headers), body)
            )
            expected = "Basic " + base64.b64encode(":".join(state.credentials).encode()).decode()
            authorized = self.headers.get("Authorization") == expected
            if state.mode != "open" and not authorized:
                self.send_response(401)
                if state.mode == "challenge":
                    self.send_header("WWW-Authenticate", 'Basic realm=""')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST = _handle

        def log_message(self, format: str, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_port}/hook"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
