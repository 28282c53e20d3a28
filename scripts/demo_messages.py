"""The last step of Bandwidth's Hosted Messaging guide, as a user checks a new setup: one SMS
out, one SMS in.

After `up`, one message is sent from the first imported number through Catapult's
``POST /messages`` (which only accepts a number bound to an application), and one inbound SMS
is simulated through the emulator's control API: the emulator delivers it to the application's
``incomingMessageUrl``, which points at a small receiver this module runs on 127.0.0.1.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from bw_pulumi.clients.catapult import CatapultClient

__all__ = ["CUSTOMER", "Inbox", "choose_port", "receiver", "round_trip"]

#: The other party of the demo's conversation (a number outside the account).
CUSTOMER = "+19195550199"
DEFAULT_PORT = 8081
PATH = "/bandwidth/sms"
#: Bound on waiting for the emulator's delivery of the inbound message.
DELIVERY_TIMEOUT_SECONDS = 15.0


class RoundTripError(RuntimeError):
    """The message round trip failed; the message is one line for the user."""


@dataclass
class Inbox:
    """Inbound-message events the receiver got, each as the flat fields Catapult sent."""

    url: str
    events: list[dict[str, Any]] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def wait_for(self, text: str, timeout: float) -> dict[str, Any] | None:
        deadline = time.monotonic() + timeout
        with self.arrived:
            while True:
                for event in self.events:
                    if event.get("text") == text:
                        return event
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.arrived.wait(left)


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def choose_port(root: Path) -> int:
    """Last run's port, else 8081, else any free one; remembered so `messageUrl` stays put
    (a new port would be an Application update on every `up`)."""
    record = root / "sms-receiver.json"
    try:
        recorded = int(json.loads(record.read_text())["port"])
    except (OSError, ValueError, KeyError, TypeError):
        recorded = None
    for port in (recorded, DEFAULT_PORT):
        if port and _port_free(port):
            break
    else:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
    root.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps({"port": port}) + "\n")
    return port


@contextmanager
def receiver(port: int) -> Iterator[Inbox]:
    """An HTTP receiver for the application's inbound-message callbacks (GET or POST)."""
    inbox = Inbox(url=f"http://127.0.0.1:{port}{PATH}")

    class Handler(BaseHTTPRequestHandler):
        def _record(self, event: dict[str, Any]) -> None:
            with inbox.arrived:
                inbox.events.append(event)
                inbox.arrived.notify_all()
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            self._record(dict(parse_qsl(urlsplit(self.path).query)))

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                event = json.loads(body or b"{}")
            except ValueError:
                event = {"body": body.decode(errors="replace")}
            self._record(event if isinstance(event, dict) else {"body": event})

        def log_message(self, format: str, *args: Any) -> None:
            return None

    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    except OSError as exc:
        raise RoundTripError(f"the SMS receiver cannot listen on port {port}: {exc}") from None
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        yield inbox
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _simulate_inbound(base_url: str, sender: str, to: str, text: str) -> None:
    body = json.dumps({"from": sender, "to": to, "text": text}).encode()
    request = urllib.request.Request(f"{base_url}/_emulator/inbound", data=body, method="POST")
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            resp.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode(errors="replace").strip()
        raise RoundTripError(f"the emulator refused the inbound SMS: {detail}") from None


def round_trip(client: CatapultClient, base_url: str, inbox: Inbox, number: str) -> list[str]:
    """Send one SMS from ``number`` and receive one at it; the lines to show the user."""
    sent_text = "Hello from bw-pulumi: hosted messaging works"
    message_id = client.send_message(number, CUSTOMER, sent_text)
    lines = [f"  sent     {number} -> {CUSTOMER}: {sent_text!r} (Catapult message {message_id})"]
    reply = "Got it, thanks!"
    _simulate_inbound(base_url, CUSTOMER, number, reply)
    event = inbox.wait_for(reply, DELIVERY_TIMEOUT_SECONDS)
    if event is None:
        raise RoundTripError(
            f"no inbound SMS reached {inbox.url} within {DELIVERY_TIMEOUT_SECONDS:.0f} s: "
            "check the application's incomingMessageUrl (pulumi stack output application_id)"
        )
    lines.append(
        f"  received {event.get('from')} -> {event.get('to')}: {reply!r} "
        f"(delivered to the application's incomingMessageUrl {inbox.url})"
    )
    return lines
