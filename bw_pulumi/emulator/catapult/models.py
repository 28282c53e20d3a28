"""Catapult v1 objects as plain data: applications, phone numbers, messages and the inbound
SMS events delivery sends (no HTTP, no locking)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Application:
    application_id: str
    name: str
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class PhoneNumber:
    number_id: str
    number: str
    created: float
    application_id: str | None = None
    name: str | None = None
    fallback_number: str | None = None


@dataclass
class Message:
    message_id: str
    from_number: str
    to_number: str
    text: str
    time: float
    direction: str
    state: str
    application_id: str | None = None


@dataclass(frozen=True)
class InboundSms:
    """A Catapult v1 message event for an application's ``incomingMessageUrl``."""

    url: str
    method: str  # "GET" (query parameters) or "POST" (JSON body), from callbackHttpMethod
    event: dict[str, str]
