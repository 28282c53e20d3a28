"""Client for Catapult v1 (Voice & Messaging v1): applications, phone numbers and messages.

Catapult speaks JSON under ``{base_url}/v1/users/{user_id}``; creates answer 201 with a
``Location`` and no body (bandwidth-api.md section 9). Number imports and every
``/applications`` call are paced to the budgets in :mod:`.catapult_dialect` so bulk stacks do
not storm 429s.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from .._http import Transport, id_from_location
from .._pacing import Pacer
from .catapult_dialect import APPLICATIONS, CATAPULT, NUMBER_IMPORTS

if TYPE_CHECKING:
    import requests

__all__ = [
    "DASHBOARD_PROVIDER",
    "DEFAULT_PAGE_SIZE",
    "RATE_SCALE_ENV",
    "ApplicationInfo",
    "CatapultClient",
    "NumberInfo",
    "NumberPage",
    "build_number_import",
    "next_link",
    "parse_application",
    "parse_number",
    "rate_scale",
]

#: Multiplies the rates of both pacing budgets (``catapult_dialect``; bursts stay): only for an
#: emulator whose budgets are scaled the same way (``POST /_emulator/limits {"scale": ...}``,
#: the benchmark); never set it in production.
RATE_SCALE_ENV = "BW_PULUMI_RATE_SCALE"
#: Catapult's maximum page size (default 25).
DEFAULT_PAGE_SIZE = 1000
#: The import provider that takes a Dashboard-hosted number (section 11).
DASHBOARD_PROVIDER = "bandwidth-dashboard"

_JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}


def rate_scale() -> float:
    """``BW_PULUMI_RATE_SCALE`` as a positive factor (default 1; anything invalid counts as 1)."""
    try:
        scale = float(os.environ.get(RATE_SCALE_ENV, "") or 1.0)
    except ValueError:
        return 1.0
    return scale if scale > 0 else 1.0


@dataclass(frozen=True)
class ApplicationInfo:
    """An application as GET returns it; unset fields are omitted by Catapult (section 10)."""

    application_id: str
    name: str
    incoming_message_url: str | None
    incoming_message_url_callback_timeout: int | None
    incoming_message_fallback_url: str | None
    callback_http_method: str | None
    incoming_call_url: str | None
    incoming_call_fallback_url: str | None
    auto_answer: bool | None
    incoming_call_url_callback_timeout: int | None = None


@dataclass(frozen=True)
class NumberInfo:
    """A number on the Catapult user; ``application_id`` is derived from the ``application`` URL."""

    number_id: str
    number: str
    national_number: str | None
    name: str | None
    application_id: str | None
    number_state: str | None
    created_time: str | None
    city: str | None = None
    state: str | None = None
    price: str | None = None


@dataclass(frozen=True)
class NumberPage:
    """One page of ``GET /phoneNumbers``; ``next_path`` is ``None`` on the last page."""

    numbers: list[NumberInfo]
    next_path: str | None


def _number_query(application_id: str | None, page_size: int) -> dict[str, object]:
    params: dict[str, object] = {"page": 0, "size": page_size}
    if application_id:
        params["applicationId"] = application_id
    return params


def _opt_str(payload: Mapping[str, Any], key: str) -> str | None:
    value = payload.get(key)
    return None if value is None or value == "" else str(value)


def _opt_int(payload: Mapping[str, Any], key: str) -> int | None:
    value = payload.get(key)
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def parse_application(payload: Mapping[str, Any]) -> ApplicationInfo:
    """Legacy ``incomingSms*`` names fill in when the ``incomingMessage*`` ones are absent."""
    method = _opt_str(payload, "callbackHttpMethod")
    auto_answer = payload.get("autoAnswer")
    return ApplicationInfo(
        application_id=str(payload.get("id", "")),
        name=str(payload.get("name", "")),
        incoming_message_url=_opt_str(payload, "incomingMessageUrl")
        or _opt_str(payload, "incomingSmsUrl"),
        incoming_message_url_callback_timeout=_opt_int(payload, "incomingMessageUrlCallbackTimeout")
        or _opt_int(payload, "incomingSmsUrlCallbackTimeout"),
        incoming_message_fallback_url=_opt_str(payload, "incomingMessageFallbackUrl")
        or _opt_str(payload, "incomingSmsFallbackUrl"),
        # Catapult answers "get"/"post" whatever case was sent (section 10).
        callback_http_method=method.upper() if method else None,
        incoming_call_url=_opt_str(payload, "incomingCallUrl"),
        incoming_call_fallback_url=_opt_str(payload, "incomingCallFallbackUrl"),
        auto_answer=auto_answer if isinstance(auto_answer, bool) else None,
        incoming_call_url_callback_timeout=_opt_int(payload, "incomingCallUrlCallbackTimeout"),
    )


def _last_segment(url: str | None) -> str | None:
    if not url:
        return None
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1] or None


def parse_number(payload: Mapping[str, Any]) -> NumberInfo:
    """Responses carry ``application`` (a URL), never ``applicationId`` (section 11)."""
    return NumberInfo(
        number_id=str(payload.get("id", "")),
        number=str(payload.get("number", "")),
        national_number=_opt_str(payload, "nationalNumber"),
        name=_opt_str(payload, "name"),
        application_id=_opt_str(payload, "applicationId")
        or _last_segment(_opt_str(payload, "application")),
        number_state=_opt_str(payload, "numberState"),
        created_time=_opt_str(payload, "createdTime"),
        city=_opt_str(payload, "city"),
        state=_opt_str(payload, "state"),
        price=_opt_str(payload, "price"),
    )


def build_number_import(
    number_e164: str,
    application_id: str,
    *,
    name: str | None,
    account_id: str,
    username: str,
    password: str,
) -> dict[str, Any]:
    """The import body; it carries the Dashboard password, so it is never logged or echoed."""
    body: dict[str, Any] = {"number": number_e164, "applicationId": application_id}
    if name is not None:
        body["name"] = name
    body["provider"] = {
        "providerName": DASHBOARD_PROVIDER,
        "properties": {"accountId": account_id, "userName": username, "password": password},
    }
    return body


def next_link(response: requests.Response) -> str | None:
    """The ``rel="next"`` URL of the RFC 5988 ``Link`` header, rebased onto ``/v1/...``.

    Links name production's host; only the path and query are kept so an emulator or proxy
    base is never left for another host (section 9).
    """
    url = response.links.get("next", {}).get("url")
    if not url:
        return None
    parts = urlsplit(url)
    index = parts.path.find("/v1/")
    path = parts.path[index:] if index >= 0 else parts.path
    return f"{path}?{parts.query}" if parts.query else path


def _number_key(id_or_e164: str) -> str:
    # "+1919..." must travel as "%2B1919..." (section 11).
    return quote(id_or_e164, safe="")


class CatapultClient:
    """Typed calls under ``{base_url}/v1/users/{user_id}``."""

    def __init__(
        self,
        base_url: str,
        user_id: str,
        api_token: str,
        api_secret: str,
        *,
        transport: Transport | None = None,
        pacer: Pacer | None = None,
        pacing: bool = True,
    ) -> None:
        """``pacer`` is shared where budgets span clients (the runtime registry's); ignored when
        a ``transport`` is given, which brings its own."""
        self.base_url = base_url.rstrip("/")
        self.user_id = user_id
        self.transport = transport or Transport(
            self.base_url, (api_token, api_secret), CATAPULT, pacer=pacer
        )
        self.pacing = pacing

    def __repr__(self) -> str:
        return f"CatapultClient({self.base_url!r}, user_id={self.user_id!r})"

    def _path(self, *segments: str) -> str:
        return "/".join(["/v1/users", quote(self.user_id, safe=""), *segments])

    def _pace_applications(self) -> None:
        if self.pacing:
            self.transport.pace(APPLICATIONS.scaled(rate_scale()))

    def _page(
        self, path: str, params: dict[str, object] | None, *, pace: bool
    ) -> tuple[list[Mapping[str, Any]], str | None]:
        """One page of a list and the path of the next (``None`` after the last)."""
        if pace:
            self._pace_applications()
        response = self.transport.request("GET", path, params=params)
        items = response.json() if response.content.strip() else []
        return items, (next_link(response) if items else None)

    def _iterate(
        self, path: str, params: dict[str, object], pace: bool
    ) -> Iterator[Mapping[str, Any]]:
        next_path: str | None = path
        query: dict[str, object] | None = params
        seen: set[str] = set()
        while next_path is not None and next_path not in seen:
            seen.add(next_path)
            items, next_path = self._page(next_path, query, pace=pace)
            yield from items
            query = None

    # -- applications (section 10) ---------------------------------------------------------

    def create_application(self, fields: Mapping[str, object]) -> str:
        """POST camelCase fields as Catapult names them; the id comes from ``Location``."""
        self._pace_applications()
        response = self.transport.request(
            "POST", self._path("applications"), json=dict(fields), headers=_JSON_HEADERS
        )
        return id_from_location(response)

    def get_application(self, application_id: str) -> ApplicationInfo:
        self._pace_applications()
        response = self.transport.request(
            "GET", self._path("applications", quote(application_id, safe=""))
        )
        return parse_application(response.json())

    def list_applications(self, page_size: int = DEFAULT_PAGE_SIZE) -> Iterator[ApplicationInfo]:
        params: dict[str, object] = {"page": 0, "size": page_size}
        for item in self._iterate(self._path("applications"), params, pace=True):
            yield parse_application(item)

    def update_application(self, application_id: str, fields: Mapping[str, object]) -> None:
        """POST to the application: a partial update, so resending it is harmless."""
        self._pace_applications()
        self.transport.request(
            "POST",
            self._path("applications", quote(application_id, safe="")),
            json=dict(fields),
            headers=_JSON_HEADERS,
            idempotent=True,
        )

    def delete_application(self, application_id: str) -> None:
        self._pace_applications()
        self.transport.request("DELETE", self._path("applications", quote(application_id, safe="")))

    # -- phoneNumbers (section 11) ---------------------------------------------------------

    def import_number(
        self,
        number_e164: str,
        application_id: str,
        *,
        name: str | None = None,
        account_id: str,
        username: str,
        password: str,
    ) -> str:
        """Import a Dashboard-hosted number (one per request); the id comes from ``Location``."""
        body = build_number_import(
            number_e164,
            application_id,
            name=name,
            account_id=account_id,
            username=username,
            password=password,
        )
        if self.pacing:
            self.transport.pace(NUMBER_IMPORTS.scaled(rate_scale()))
        response = self.transport.request(
            "POST", self._path("phoneNumbers"), json=body, headers=_JSON_HEADERS
        )
        return id_from_location(response)

    def get_number(self, id_or_e164: str) -> NumberInfo:
        response = self.transport.request(
            "GET", self._path("phoneNumbers", _number_key(id_or_e164))
        )
        return parse_number(response.json())

    def list_numbers(
        self, application_id: str | None = None, page_size: int = DEFAULT_PAGE_SIZE
    ) -> Iterator[NumberInfo]:
        query = _number_query(application_id, page_size)
        for item in self._iterate(self._path("phoneNumbers"), query, pace=False):
            yield parse_number(item)

    def number_page(
        self,
        application_id: str | None = None,
        *,
        after: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> NumberPage:
        """The first page of the list, or the one ``after`` (an earlier page's ``next_path``)
        names: for callers that page lazily and share pages between threads."""
        if after is not None:
            items, next_path = self._page(after, None, pace=False)
        else:
            query = _number_query(application_id, page_size)
            items, next_path = self._page(self._path("phoneNumbers"), query, pace=False)
        return NumberPage([parse_number(item) for item in items], next_path)

    def update_number(
        self, id_or_e164: str, *, application_id: str | None = None, name: str | None = None
    ) -> None:
        """Only the given fields are sent; ``application_id=""`` detaches the application."""
        body: dict[str, object] = {}
        if application_id is not None:
            body["applicationId"] = application_id
        if name is not None:
            body["name"] = name
        self.transport.request(
            "POST",
            self._path("phoneNumbers", _number_key(id_or_e164)),
            json=body,
            headers=_JSON_HEADERS,
            idempotent=True,
        )

    def delete_number(self, id_or_e164: str) -> None:
        self.transport.request("DELETE", self._path("phoneNumbers", _number_key(id_or_e164)))

    # -- messages --------------------------------------------------------------------------

    def send_message(self, from_e164: str, to_e164: str, text: str) -> str:
        """POST /messages; the message id comes from ``Location``."""
        response = self.transport.request(
            "POST",
            self._path("messages"),
            json={"from": from_e164, "to": to_e164, "text": text},
            headers=_JSON_HEADERS,
        )
        return id_from_location(response)
