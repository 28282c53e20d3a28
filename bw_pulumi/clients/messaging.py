"""A small client for Bandwidth's Messaging API v2: send a message, read its webhooks.

``POST {base_url}/users/{accountId}/messages`` answers 202 with the message (bandwidth-api-v2.md
4 "Send"); webhooks arrive as a JSON array of events, while the SDK's spec shows single objects:
:func:`parse_webhook` takes both (v2 doc 4 "Webhooks"). For demos and users' smoke tests, not
for the providers. Authentication is Basic (the API user) or a bearer-token source, any callable
returning a current OAuth2 access token (v2 doc 4 "Auth"), asked again once after a 401.

Sending is not idempotent, so only a 429 ("not processed", Bandwidth's queue-full answer, v2
doc 6) is retried, after its ``Retry-After``; a 5xx or a dropped connection may have sent the
message and is raised, never retried.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._http import user_agent
from ..errors import BandwidthError, ErrorDetail, TransportError, error_for_status

if TYPE_CHECKING:
    import requests

__all__ = [
    "DEFAULT_BASE_URL",
    "MessageEvent",
    "MessagingClient",
    "SentMessage",
    "parse_webhook",
]

DEFAULT_BASE_URL = "https://messaging.bandwidth.com/api/v2"
_API = "messaging"
#: 429s retried per send, and the longest ``Retry-After`` honoured.
MAX_RATE_LIMITED_RETRIES = 3
MAX_RETRY_AFTER_SECONDS = 30.0


@dataclass(frozen=True)
class SentMessage:
    """The 202 answer to a send (``message`` in the SDK spec)."""

    message_id: str
    owner: str | None
    application_id: str | None
    time: str | None
    to: tuple[str, ...]
    from_number: str | None
    text: str | None
    tag: str | None
    segment_count: int | None


@dataclass(frozen=True)
class MessageEvent:
    """One webhook event: ``message-received``, ``message-delivered``, ``message-failed``, ...

    ``to`` is the event's recipient (one number); ``message_to`` the message's whole list.
    """

    type: str
    time: str | None
    description: str | None
    to: str | None
    message_id: str | None
    from_number: str | None
    text: str | None
    application_id: str | None
    direction: str | None
    owner: str | None
    tag: str | None
    error_code: int | None
    message_to: tuple[str, ...] = ()
    media: tuple[str, ...] = field(default=())

    @property
    def inbound(self) -> bool:
        return self.type == "message-received"


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return ()


def _opt(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    return None if value is None else str(value)


def _event(data: Any) -> MessageEvent:
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise ValueError("a webhook event is a JSON object with a string 'type'")
    found = data.get("message")
    message: dict[str, Any] = found if isinstance(found, dict) else {}
    code = data.get("errorCode")
    return MessageEvent(
        type=data["type"],
        time=_opt(data, "time"),
        description=_opt(data, "description"),
        to=_opt(data, "to"),
        message_id=_opt(message, "id"),
        from_number=_opt(message, "from"),
        text=_opt(message, "text"),
        application_id=_opt(message, "applicationId"),
        direction=_opt(message, "direction"),
        owner=_opt(message, "owner"),
        tag=_opt(message, "tag"),
        error_code=int(code) if isinstance(code, (int, str)) and str(code).isdigit() else None,
        message_to=_strings(message.get("to")),
        media=_strings(message.get("media")),
    )


def parse_webhook(body: bytes | str | list[Any] | dict[str, Any]) -> list[MessageEvent]:
    """The events of one webhook POST: the documented array, or a single event object.

    Raises :class:`ValueError` for a body that is neither.
    """
    data: Any = body
    if isinstance(body, (bytes, str)):
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise ValueError(f"a webhook body must be JSON: {exc}") from None
    items = data if isinstance(data, list) else [data]
    return [_event(item) for item in items]


def _sent(data: Any) -> SentMessage:
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise BandwidthError("the answer to a send has no message id", status=202, api=_API)
    count = data.get("segmentCount")
    return SentMessage(
        message_id=data["id"],
        owner=_opt(data, "owner"),
        application_id=_opt(data, "applicationId"),
        time=_opt(data, "time"),
        to=_strings(data.get("to")),
        from_number=_opt(data, "from"),
        text=_opt(data, "text"),
        tag=_opt(data, "tag"),
        segment_count=count if isinstance(count, int) else None,
    )


def _details(response: requests.Response) -> list[ErrorDetail]:
    """``{type, description, fieldErrors[]}`` (v2 doc 4 "Errors"); other bodies as text."""
    try:
        data = response.json()
    except ValueError:
        text = response.text.strip()[:200]
        return [ErrorDetail(None, text)] if text else []
    if not isinstance(data, dict):
        return []
    fields = [
        f"{item.get('fieldName')}: {item.get('description')}"
        for item in data.get("fieldErrors") or []
        if isinstance(item, dict)
    ]
    # One detail, so the error stays on one line: the field errors are the specific words.
    said = "; ".join(fields) or str(data.get("description") or "")
    return [ErrorDetail(_opt(data, "type"), said)]


class MessagingClient:
    """Sends messages for one account. Give ``username`` and ``password`` (Basic) or ``bearer``,
    a callable returning a current access token; ``on_unauthorized`` is called once after a
    401 (e.g. to drop a cached token) before the token is asked for again."""

    def __init__(
        self,
        account_id: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        username: str | None = None,
        password: str | None = None,
        bearer: Callable[[], str] | None = None,
        on_unauthorized: Callable[[], None] | None = None,
        timeout: tuple[float, float] = (10.0, 30.0),
    ) -> None:
        if bearer is None and (username is None or password is None):
            raise ValueError("give username and password, or a bearer token source")
        self.account_id = account_id
        self.base_url = base_url.rstrip("/")
        self._basic = None if bearer is not None else (str(username), str(password))
        self._bearer = bearer
        self._on_unauthorized = on_unauthorized
        self._timeout = timeout
        import requests  # not at import time: a provider process that never sends skips it

        self._session = requests.Session()
        self._failures = (requests.RequestException,)
        self._session.headers["User-Agent"] = user_agent()

    def __repr__(self) -> str:  # never shows credentials or tokens
        return f"MessagingClient({self.base_url!r}, account_id={self.account_id!r})"

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> MessagingClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send(
        self,
        application_id: str,
        from_number: str,
        to: str | Sequence[str],
        text: str = "",
        *,
        media: Sequence[str] = (),
        tag: str | None = None,
        priority: str | None = None,
    ) -> SentMessage:
        """Send one message (several ``to`` numbers make a group message)."""
        body: dict[str, Any] = {
            "applicationId": application_id,
            "to": [to] if isinstance(to, str) else list(to),
            "from": from_number,
            "text": text,
        }
        if media:
            body["media"] = list(media)
        if tag is not None:
            body["tag"] = tag
        if priority is not None:
            body["priority"] = priority
        response = self._post(f"/users/{self.account_id}/messages", body)
        return _sent(response.json())

    def _post(self, path: str, body: dict[str, Any]) -> requests.Response:
        url = self.base_url + path
        renewed = False
        limited = 0
        while True:
            response = self._exchange(url, path, body)
            if response.status_code == 202:
                return response
            if response.status_code == 401 and self._bearer is not None and not renewed:
                renewed = True
                if self._on_unauthorized is not None:
                    self._on_unauthorized()
                continue
            if response.status_code == 429 and limited < MAX_RATE_LIMITED_RETRIES:
                limited += 1
                time.sleep(_retry_after(response, limited))
                continue
            raise error_for_status(response.status_code)(
                "",
                status=response.status_code,
                method="POST",
                path=path,
                details=_details(response),
                api=_API,
            )

    def _exchange(self, url: str, path: str, body: dict[str, Any]) -> requests.Response:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self._bearer is not None:
            headers["Authorization"] = f"Bearer {self._bearer()}"
        try:
            return self._session.post(
                url, json=body, headers=headers, auth=self._basic, timeout=self._timeout
            )
        except self._failures as exc:
            # Not retried: the message may have been sent before the connection failed.
            raise TransportError(
                f"the connection failed ({type(exc).__name__}); the message may have been sent",
                method="POST",
                path=path,
                api=_API,
            ) from None


def _retry_after(response: requests.Response, attempt: int) -> float:
    try:
        seconds = float(response.headers.get("Retry-After", ""))
    except ValueError:
        seconds = float(2**attempt)
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)
