"""Client for the Messaging API v2 (``{messagingUrl}/users/{accountId}/messages``) and a parser
for its JSON webhooks, for demos and users' smoke tests (bandwidth-api-v2.md 4).

Sending answers 202 with the accepted message. Webhooks arrive as a JSON *array* of events per
the docs and the V1 to V2 migration guide, while the newer SDK spec models a single object:
:func:`parse_webhook` takes both. Auth is the account's: an OAuth2 bearer token (the same
process-wide token source as the Dashboard's) or Basic with the Dashboard API user.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from .._http import Bearer, Transport
from ..errors import ErrorDetail

__all__ = [
    "MESSAGING",
    "MessageEvent",
    "MessagingClient",
    "MessagingDialect",
    "SentMessage",
    "WebhookError",
    "parse_webhook",
]

_JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}


@dataclass(frozen=True)
class MessagingDialect:
    """The Messaging API's side of :class:`bw_pulumi._http.Dialect`: ``{type, description,
    fieldErrors[]}`` error bodies (``createMessageRequestError`` / ``messagingRequestError``)."""

    api: str = "messaging"
    reset_ticks_per_second: float = 1.0

    def error_details(self, body: bytes | None) -> list[ErrorDetail]:
        try:
            data = json.loads(body or b"")
        except ValueError:
            return []
        if not isinstance(data, dict) or "description" not in data:
            return []
        kind = _text(data.get("type"))
        fields = [item for item in data.get("fieldErrors") or [] if isinstance(item, dict)]
        said = [str(item["description"]) for item in fields if item.get("description")]
        # A field error that repeats the description replaces it: one line, naming the field.
        details = (
            []
            if str(data["description"]) in said
            else [ErrorDetail(kind, str(data["description"]))]
        )
        for item in fields:
            if item.get("description"):
                where = item.get("fieldName")
                text = f"{where}: {item['description']}" if where else str(item["description"])
                details.append(ErrorDetail(kind, text))
        return details

    def is_rate_limited(self, status: int, details: Sequence[ErrorDetail]) -> bool:
        # 429 "max-message-queue-size-exceeded" is also "not processed" (section 6).
        return status == 429


MESSAGING = MessagingDialect()


def _text(value: Any) -> str | None:
    return str(value) if value is not None else None


@dataclass(frozen=True)
class SentMessage:
    """The 202 answer of a send (the ``message`` schema)."""

    message_id: str
    owner: str | None
    application_id: str | None
    to: tuple[str, ...]
    from_: str | None
    text: str | None
    segment_count: int | None
    raw: dict[str, Any] = field(repr=False, compare=False)


@dataclass(frozen=True)
class MessageEvent:
    """One webhook event: ``message-received``, ``message-delivered``, ``message-failed``..."""

    type: str
    time: str | None
    description: str | None
    to: str | None
    error_code: int | None
    message: SentMessage


class WebhookError(ValueError):
    """A webhook body that is neither an event nor an array of events."""


class MessagingClient:
    """Sends messages as one account."""

    def __init__(
        self,
        base_url: str,
        account_id: str,
        auth: tuple[str, str] | Bearer,
        *,
        transport: Transport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.account_id = account_id
        self.transport = transport or Transport(self.base_url, auth, MESSAGING)

    def __repr__(self) -> str:
        return f"MessagingClient({self.base_url!r}, account_id={self.account_id!r})"

    def send_message(
        self,
        application_id: str,
        to: str | Sequence[str],
        from_: str,
        text: str | None = None,
        *,
        media: Sequence[str] | None = None,
        tag: str | None = None,
        priority: str | None = None,
    ) -> SentMessage:
        """POST one message (202). Not retried on a 5xx or a lost answer: a second POST would
        send the message twice."""
        body: dict[str, Any] = {
            "applicationId": application_id,
            "to": [to] if isinstance(to, str) else list(to),
            "from": from_,
        }
        for key, value in (("text", text), ("media", media), ("tag", tag), ("priority", priority)):
            if value is not None:
                body[key] = list(value) if key == "media" else value
        path = f"/users/{quote(self.account_id, safe='')}/messages"
        response = self.transport.request(
            "POST", path, json=body, headers=_JSON_HEADERS, ok=(200, 201, 202)
        )
        return _message(json.loads(response.content))


def _message(data: Any) -> SentMessage:
    if not isinstance(data, dict) or not data.get("id"):
        raise WebhookError(f"not a message: {str(data)[:200]!r}")
    to = data.get("to")
    count = data.get("segmentCount")
    return SentMessage(
        message_id=str(data["id"]),
        owner=data.get("owner"),
        application_id=data.get("applicationId"),
        to=tuple(to) if isinstance(to, list) else ((to,) if isinstance(to, str) else ()),
        from_=data.get("from"),
        text=data.get("text"),
        segment_count=count if isinstance(count, int) else None,
        raw=data,
    )


def parse_webhook(body: bytes | str) -> list[MessageEvent]:
    """Every event in a webhook body: the documented array, or a single event object."""
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise WebhookError(f"webhook body is not JSON: {exc}") from None
    items = data if isinstance(data, list) else [data]
    events = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("type"), str):
            raise WebhookError(f"not a message event: {str(item)[:200]!r}")
        code = item.get("errorCode")
        events.append(
            MessageEvent(
                type=item["type"],
                time=item.get("time"),
                description=item.get("description"),
                to=item.get("to"),
                error_code=code if isinstance(code, int) else None,
                message=_message(item.get("message")),
            )
        )
    return events
