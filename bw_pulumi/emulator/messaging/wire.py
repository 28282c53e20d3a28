"""Messaging API v2 JSON, outbound: the 202 answer and the webhook events (bandwidth-api-v2.md 4
and its sample payloads: ``to`` is always an array inside ``message``, a string at the event's
top level; ``text`` is empty in status events)."""

from __future__ import annotations

from typing import Any

from bw_pulumi.emulator.common import iso_millis
from bw_pulumi.emulator.messaging.models import MessageV2

__all__ = ["event_json", "message_json"]


def message_json(msg: MessageV2, *, with_text: bool = True) -> dict[str, Any]:
    """The ``message`` object: the 202 body, and the ``message`` of each webhook event."""
    body: dict[str, Any] = {
        "id": msg.message_id,
        "owner": msg.owner,
        "applicationId": msg.application_id,
        "time": iso_millis(msg.time),
        "segmentCount": msg.segment_count,
        "direction": msg.direction,
        "to": list(msg.to),
        "from": msg.from_number,
        "media": list(msg.media),
        "text": msg.text if with_text else "",
    }
    if msg.tag is not None:
        body["tag"] = msg.tag
    if msg.direction == "out":
        body["priority"] = msg.priority
    if msg.expiration is not None:
        body["expiration"] = msg.expiration
    return body


def event_json(
    kind: str,
    msg: MessageV2,
    to: str,
    moment: float,
    description: str,
    error_code: int | None = None,
) -> dict[str, Any]:
    """One event of the webhook array: ``message-received`` carries the text, status events
    do not."""
    event: dict[str, Any] = {
        "type": kind,
        "time": iso_millis(moment),
        "description": description,
        "to": to,
        "message": message_json(msg, with_text=kind == "message-received"),
    }
    if error_code is not None:
        event["errorCode"] = error_code
    return event
