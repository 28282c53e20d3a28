"""Shared pieces of the bw-pulumi e2e tests: config, out-of-band clients, a callback receiver."""

from __future__ import annotations

import base64
import importlib.util
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar

from engine import REPO
from pulumi import automation as auto

from bw_pulumi import _xml
from bw_pulumi.clients.catapult import CatapultClient
from bw_pulumi.clients.dashboard import DashboardClient
from bw_pulumi.emulator import Emulator

BW_PASSWORD = "dash-pw-e2e-41b7c2"
BW_API_SECRET = "cat-secret-e2e-9d03aa"
CALLBACK_USER = "hook-user"
CALLBACK_PASSWORD = "cb-pw-e2e-6f28e1"
CREDENTIALS = (BW_PASSWORD, BW_API_SECRET, CALLBACK_PASSWORD)
WAIT_SECONDS = 30.0
T = TypeVar("T")


def emulator() -> Emulator:
    """Orders take a fifth of a second, as a (very fast) Bandwidth would; credentials findable."""
    return Emulator(processing_seconds=0.2, password=BW_PASSWORD, api_secret=BW_API_SECRET)


def stack_config(
    emu: Emulator, project: str, **values: str | auto.ConfigValue
) -> dict[str, str | auto.ConfigValue]:
    """Bandwidth credentials as secret stack config, plus project config values."""
    cfg: dict[str, str | auto.ConfigValue] = dict(emu.stack_config())
    for key in ("bandwidth:password", "bandwidth:apiSecret"):
        cfg[key] = auto.ConfigValue(str(cfg[key]), secret=True)
    cfg.update({f"{project}:{k}": v for k, v in values.items()})
    return cfg


def dashboard(emu: Emulator) -> DashboardClient:
    """The Dashboard API as a person in the portal uses it (out-of-band changes)."""
    return DashboardClient(emu.dashboard_url, emu.account_id, emu.username, emu.password)


def catapult(emu: Emulator) -> CatapultClient:
    return CatapultClient(emu.catapult_url, emu.user_id, emu.api_token, emu.api_secret)


def flagship_program() -> Callable[[], None]:
    """`program()` of examples/hosted_messaging (not a package: loaded from its file)."""
    path = REPO / "examples" / "hosted_messaging" / "program.py"
    spec = importlib.util.spec_from_file_location("bw_flagship_program", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    program: Callable[[], None] = module.program
    return program


def wait_for(what: str, probe: Callable[[], T | None], timeout: float = WAIT_SECONDS) -> T:
    """Poll `probe` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    delay = 0.05
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(delay)
        delay = min(delay * 2, 0.5)


def assert_no_credentials(text: str) -> None:
    for credential in CREDENTIALS:
        assert credential not in text, "a credential leaked"


def assert_emulator_empty(emu: Emulator) -> None:
    state = emu.control.state()
    assert state["in_service"] == []
    assert state["phone_numbers"] == []
    assert state["applications"] == []
    assert state["subscriptions"] == []


@dataclass
class Received:
    """A callback that passed the Basic-auth challenge."""

    path: str
    credentials: tuple[str, str]
    body: str

    def field(self, name: str) -> str | None:
        return _xml.find_text(_xml.parse(self.body.encode()), name)


@dataclass
class CallbackReceiver:
    """Records Bandwidth's Notification POSTs; answers 401 + WWW-Authenticate without auth."""

    url: str
    received: list[Received] = field(default_factory=list)
    challenged: int = 0

    def notifications(self, order_id: str, status: str) -> list[Received]:
        return [
            r
            for r in list(self.received)
            if r.field("OrderId") == order_id and r.field("Status") == status
        ]


@contextmanager
def callback_receiver() -> Iterator[CallbackReceiver]:
    """An HTTP receiver on 127.0.0.1 that implements the Basic-auth challenge Bandwidth expects."""
    receiver = CallbackReceiver(url="")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            auth = self.headers.get("Authorization")
            if not auth or not auth.startswith("Basic "):
                with lock:
                    receiver.challenged += 1
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="callbacks"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
            with lock:
                receiver.received.append(Received(self.path, (user, password), body))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/bandwidth/orders"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
