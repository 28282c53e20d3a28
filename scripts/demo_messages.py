"""The last step of Bandwidth's Hosted Messaging guide, as a user checks a new setup: one SMS
out, one SMS in.

After `up`, one message is sent from the first imported number through Catapult's
``POST /messages`` (which only accepts a number bound to an application), and one inbound SMS
is simulated through the emulator's control API: the emulator delivers it to the application's
``incomingMessageUrl``, which points at a small receiver this module runs on 127.0.0.1.

On the current platform (:func:`round_trip_v2`) the message goes out through the Messages API v2
(202), its ``message-delivered`` status and the inbound ``message-received`` arrive as JSON
webhooks (bandwidth-api-v2.md 4) at the Messaging-V2 application's outbound and inbound callback
URLs, the same receiver, read with :func:`bw_pulumi.clients.messaging.parse_webhook`.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlsplit

from bw_pulumi.clients.catapult import CatapultClient
from bw_pulumi.clients.messaging import MessageEvent, MessagingClient, WebhookError, parse_webhook

__all__ = ["CUSTOMER", "Inbox", "choose_port", "receiver", "round_trip", "round_trip_v2"]

T = TypeVar("T")

#: The other party of the demo's conversation (a number outside the account).
CUSTOMER = "+19195550199"
DEFAULT_PORT = 8081
PATH = "/bandwidth/sms"
#: Bound on waiting for the emulator's delivery of the inbound message.
DELIVERY_TIMEOUT_SECONDS = 15.0
SENT_TEXT = "Hello from bw-pulumi: hosted messaging works"
REPLY_TEXT = "Got it, thanks!"


class RoundTripError(RuntimeError):
    """The message round trip failed; the message is one line for the user."""


@dataclass
class Inbox:
    """Callbacks the receiver got: each as the flat fields Catapult sent, and each POST body
    as it came (the current platform's JSON webhooks)."""

    url: str
    events: list[dict[str, Any]] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def wait_until(self, find: Callable[[Inbox], T | None], timeout: float) -> T | None:
        """The first non-None answer of ``find`` as callbacks arrive, or None at the timeout."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while True:
                found = find(self)
                if found is not None:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.arrived.wait(left)

    def wait_for(self, text: str, timeout: float) -> dict[str, Any] | None:
        return self.wait_until(
            lambda inbox: next((e for e in inbox.events if e.get("text") == text), None), timeout
        )

    def webhook_event(
        self, kind: str, match: Callable[[MessageEvent], bool]
    ) -> MessageEvent | None:
        """The first ``kind`` event in the JSON webhooks so far that ``match`` accepts."""
        for body in self.bodies:
            try:
                events = parse_webhook(body)
            except WebhookError:
                continue  # not a v2 webhook (a Catapult callback or an order notification)
            for event in events:
                if event.type == kind and match(event):
                    return event
        return None


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
        def _record(self, event: dict[str, Any], body: bytes = b"") -> None:
            with inbox.arrived:
                inbox.events.append(event)
                if body:
                    inbox.bodies.append(body)
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
            self._record(event if isinstance(event, dict) else {"body": event}, body)

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
    sent_text = SENT_TEXT
    message_id = client.send_message(number, CUSTOMER, sent_text)
    lines = [f"  sent     {number} -> {CUSTOMER}: {sent_text!r} (Catapult message {message_id})"]
    reply = REPLY_TEXT
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


def round_trip_v2(
    client: MessagingClient, application_id: str, base_url: str, inbox: Inbox, number: str
) -> list[str]:
    """Send one message from ``number`` through the Messages API v2 and receive one at it,
    both confirmed by the webhooks the receiver got; the lines to show the user."""
    sent = client.send_message(application_id, CUSTOMER, number, SENT_TEXT)
    lines = [
        f"  sent     {number} -> {CUSTOMER}: {SENT_TEXT!r} "
        f"(Messages API v2 message {sent.message_id}, 202 Accepted)"
    ]
    delivered = inbox.wait_until(
        lambda i: i.webhook_event(
            "message-delivered", lambda e: e.message.message_id == sent.message_id
        ),
        DELIVERY_TIMEOUT_SECONDS,
    )
    if delivered is None:
        raise RoundTripError(
            f"no message-delivered webhook reached {inbox.url} within "
            f"{DELIVERY_TIMEOUT_SECONDS:.0f} s: check the application's outboundCallbackUrl "
            "(pulumi stack output application_id)"
        )
    lines.append(
        f"  status   message-delivered to {delivered.to} "
        f"(JSON webhook to the application's outboundCallbackUrl {inbox.url})"
    )
    _simulate_inbound(base_url, CUSTOMER, number, REPLY_TEXT)
    received = inbox.wait_until(
        lambda i: i.webhook_event("message-received", lambda e: e.message.text == REPLY_TEXT),
        DELIVERY_TIMEOUT_SECONDS,
    )
    if received is None:
        raise RoundTripError(
            f"no message-received webhook reached {inbox.url} within "
            f"{DELIVERY_TIMEOUT_SECONDS:.0f} s: check the application's inboundCallbackUrl "
            "(pulumi stack output application_id)"
        )
    lines.append(
        f"  received {received.message.from_} -> {received.to}: {REPLY_TEXT!r} "
        f"(message-received, JSON webhook to the application's inboundCallbackUrl {inbox.url})"
    )
    return lines
