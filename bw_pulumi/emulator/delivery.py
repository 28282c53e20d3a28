"""Outbound callbacks: Dashboard order ``Notification``\\ s, Catapult inbound-SMS events and
Messaging API v2 webhooks.

One worker thread sends them, never holding the store lock (localstack's publisher rule), and
records every attempt for ``GET /_emulator/callbacks``. Dashboard callbacks use Bandwidth's
challenge-response Basic auth (API doc 8, MDX-WHAUTH): the first POST carries no credentials; on
401 *with* ``WWW-Authenticate`` it is resent with Basic credentials; a 401 without the header
means Bandwidth gives up and the callback is lost. Messaging v2 webhooks use the same challenge
with the application's callback credentials (bandwidth-api-v2.md 4 "Callback auth"). Bandwidth
retries a failed webhook for 24 h; the emulator makes one delivery and records it.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Callable
from typing import Any

import requests

from bw_pulumi import _xml
from bw_pulumi.emulator.catapult.models import InboundSms
from bw_pulumi.emulator.common import iso_millis, iso_seconds, now
from bw_pulumi.emulator.dashboard.models import Notify
from bw_pulumi.emulator.dashboard.orders import STATUS_MESSAGES
from bw_pulumi.emulator.messaging.models import Webhook

__all__ = ["Delivery", "notification_xml"]

_TIMEOUT = (2.0, 5.0)


def notification_xml(item: Notify) -> bytes:
    """``Notification`` (API doc 8; see ``dashboard_notification_importtnorders_template``)."""
    root = _xml.element(
        "Notification",
        ("SubscriptionId", item.subscription_id),
        ("OrderType", item.order_type),
        ("OrderId", item.order_id),
        ("CustomerOrderId", item.customer_order_id),
        ("Status", item.status),
        ("Message", STATUS_MESSAGES.get(item.status)),
        ("LastModifiedDate", iso_millis(item.last_modified)),
    )
    return _xml.to_bytes(root)


class Delivery:
    """Queue + worker thread; ``record`` keeps every attempt, newest last."""

    def __init__(self, on_subscription_status: Callable[[str, str], None]) -> None:
        self._on_status = on_subscription_status
        self._queue: queue.Queue[Notify | InboundSms | Webhook | None] = queue.Queue()
        self._records: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._session = requests.Session()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="bw-emulator-delivery", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._session.close()

    def submit(self, items: list[Notify] | list[InboundSms] | list[Webhook]) -> None:
        for item in items:
            self._queue.put(item)

    def records(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(r) for r in self._records]

    def clear(self) -> None:
        with self._lock:
            self._records.clear()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            try:
                if isinstance(item, Notify):
                    self._send_notification(item)
                elif isinstance(item, Webhook):
                    self._send_webhook(item)
                else:
                    self._send_sms(item)
            except Exception as exc:  # a bad receiver must never kill the worker
                self._append({"kind": "error", "error": repr(exc), "time": iso_millis(now())})

    def _append(self, record: dict[str, Any]) -> None:
        with self._lock:
            self._records.append(record)

    def _post_challenged(
        self,
        url: str,
        body: bytes,
        headers: dict[str, str],
        creds: tuple[str | None, str | None],
        attempts: list[dict[str, Any]],
    ) -> requests.Response:
        """POST without credentials; on 401 *with* ``WWW-Authenticate``, again with Basic."""
        response = self._session.post(url, data=body, headers=headers, timeout=_TIMEOUT)
        attempts.append({"authorization": False, "status": response.status_code})
        challenged = response.status_code == 401 and "WWW-Authenticate" in response.headers
        user, password = creds
        if challenged and user and password:
            response = self._session.post(
                url, data=body, headers=headers, auth=(user, password), timeout=_TIMEOUT
            )
            attempts.append({"authorization": True, "status": response.status_code})
        return response

    def _send_notification(self, item: Notify) -> None:
        body = notification_xml(item)
        headers = {"Content-Type": "application/xml; charset=utf-8"}
        attempts: list[dict[str, Any]] = []
        record: dict[str, Any] = {
            "kind": "notification",
            "subscription_id": item.subscription_id,
            "order_id": item.order_id,
            "order_type": item.order_type,
            "status": item.status,
            "url": item.url,
            "method": "POST",
            "body": body.decode("utf-8"),
            "auth_attempts": attempts,
            "response_status": None,
            "delivered": False,
            "time": iso_millis(now()),
        }
        try:
            creds = (item.username, item.password)
            response = self._post_challenged(item.url, body, headers, creds, attempts)
            record["response_status"] = response.status_code
            record["delivered"] = 200 <= response.status_code < 300
            status_text = f"{response.status_code} {response.reason or ''}".strip()
        except requests.RequestException as exc:
            record["error"] = type(exc).__name__
            status_text = f"Callback failed: {type(exc).__name__}"
        self._append(record)
        # Subscription Status holds the outcome of the last callback, e.g. "200 OK" (API doc 2.3).
        self._on_status(item.subscription_id, status_text)

    def _send_sms(self, item: InboundSms) -> None:
        record: dict[str, Any] = {
            "kind": "inbound_sms",
            "url": item.url,
            "method": item.method,
            "body": dict(item.event),
            "auth_attempts": [],
            "response_status": None,
            "delivered": False,
            "time": iso_seconds(now()),
        }
        try:
            if item.method == "GET":
                response = self._session.get(item.url, params=item.event, timeout=_TIMEOUT)
            else:
                response = self._session.post(item.url, json=item.event, timeout=_TIMEOUT)
            record["auth_attempts"].append({"authorization": False, "status": response.status_code})
            record["response_status"] = response.status_code
            record["delivered"] = 200 <= response.status_code < 300
        except requests.RequestException as exc:
            record["error"] = type(exc).__name__
        self._append(record)

    def _send_webhook(self, item: Webhook) -> None:
        """A JSON array of events (v2 doc 4 "Webhooks"), challenge auth as for notifications."""
        body = json.dumps(item.events).encode("utf-8")
        headers = {"Content-Type": "application/json", "User-Agent": "BandwidthAPI/v2"}
        attempts: list[dict[str, Any]] = []
        record: dict[str, Any] = {
            "kind": "webhook",
            "type": item.events[0]["type"],
            "message_id": item.message_id,
            "url": item.url,
            "method": "POST",
            "body": item.events,
            "auth_attempts": attempts,
            "response_status": None,
            "delivered": False,
            "time": iso_millis(now()),
        }
        try:
            creds = (item.user, item.password)
            response = self._post_challenged(item.url, body, headers, creds, attempts)
            record["response_status"] = response.status_code
            record["delivered"] = 200 <= response.status_code < 300
        except requests.RequestException as exc:
            record["error"] = type(exc).__name__
        self._append(record)
