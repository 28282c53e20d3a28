"""Messaging API v2 objects as plain data: sent and received messages and the webhooks delivery
POSTs for them (bandwidth-api-v2.md 4; no HTTP, no locking)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["DEFAULT_FAILURE_CODE", "FAILURE_DESCRIPTIONS", "MessageV2", "Webhook"]

#: ``errorCode`` -> ``description`` of ``message-failed`` events. 4432 is the documented example
#: ([DOCS-WH] "forbidden to country"); others get a text of ours.
FAILURE_DESCRIPTIONS = {4432: "forbidden to country", 4720: "invalid destination"}
DEFAULT_FAILURE_CODE = 4720


@dataclass
class MessageV2:
    """One message; the emulator keeps its text for tests (Bandwidth does not, v2 doc 4)."""

    message_id: str
    owner: str
    application_id: str
    time: float
    direction: str  # "out" | "in"
    to: list[str]
    from_number: str
    text: str = ""
    media: list[str] = field(default_factory=list)
    tag: str | None = None
    priority: str = "default"
    expiration: str | None = None
    segment_count: int = 1
    #: For outbound: "accepted" (events queued) or "vanished" (202 but the from number's
    #: Location has another or no application: nothing is delivered, as the CLI notes, v2 doc 3).
    state: str = "accepted"


@dataclass(frozen=True)
class Webhook:
    """One JSON webhook POST: the documented array of events, to one application URL, with the
    application's callback credentials for the challenge (v2 doc 4 "Callback auth")."""

    url: str
    user: str | None
    password: str | None
    events: list[dict[str, Any]]
    message_id: str
