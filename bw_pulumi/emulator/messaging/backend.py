"""Messaging API v2 operations: send a message, receive one (bandwidth-api-v2.md 4).

A number belongs to the application of the Location (SIP peer) it was imported into (v2 doc 3
"Numbers", [DOCS-STRUCT]): that application gets the number's inbound messages and, when the
send names it, the status events. Never sees HTTP; refusals are :class:`EmulatorFault`\\ s with
the Messaging API's ``type`` strings.
"""

from __future__ import annotations

import copy
import math
import re
import secrets
import string
from collections.abc import Callable
from typing import Any

from bw_pulumi.emulator.common import now
from bw_pulumi.emulator.messaging.faults import field_error
from bw_pulumi.emulator.messaging.models import (
    DEFAULT_FAILURE_CODE,
    FAILURE_DESCRIPTIONS,
    MessageV2,
    Webhook,
)
from bw_pulumi.emulator.messaging.wire import event_json
from bw_pulumi.emulator.models import World
from bw_pulumi.emulator.provisioning import MESSAGING_V2, DashboardApplication
from bw_pulumi.emulator.store import Store

__all__ = ["MessagingBackend"]

_E164 = re.compile(r"^\+1([2-9]\d{2}[2-9]\d{6})$")
_ALNUM = string.ascii_lowercase + string.digits
# Limits of ``messageRequest`` (v2 doc 4 "Send").
MAX_TEXT, MAX_MEDIA_URL, MAX_TAG, MAX_GROUP = 2048, 4096, 1024, 10


def _message_id(moment: float) -> str:
    """Like ``14762070468292kw2fuqty55yp2b2``: epoch milliseconds and 15 alphanumerics."""
    return f"{int(moment * 1000)}" + "".join(secrets.choice(_ALNUM) for _ in range(15))


def _segments(text: str) -> int:
    """160 GSM characters fit one segment, 153 each once split (the usual SMS arithmetic)."""
    return 1 if len(text) <= 160 else math.ceil(len(text) / 153)


def _strings(value: Any, name: str) -> list[str]:
    if isinstance(value, str):
        return [value]  # older docs accept a plain string for ``to`` (v2 doc 4)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return list(value)
    raise field_error(name, f"'{name}' must be a non-empty array of strings")


def _text(body: dict[str, Any], name: str, limit: int) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise field_error(name, f"'{name}' must be a string of at most {limit} characters")
    return value


class MessagingBackend:
    """Messages of the one account, over the shared store; webhooks go to ``dispatch``."""

    def __init__(self, store: Store, dispatch: Callable[[list[Webhook]], None]) -> None:
        self.store = store
        self._dispatch = dispatch

    def _owned(self, world: World, e164: str) -> str | None:
        """The 10-digit form of an account number in service, else ``None``."""
        found = _E164.match(e164)
        return found.group(1) if found and found.group(1) in world.in_service else None

    def _app_of_number(self, world: World, tn: str) -> DashboardApplication | None:
        peer = world.sip_peers.get(world.in_service_peers.get(tn, ""))
        app_id = None if peer is None else peer.application_id
        return None if app_id is None else world.dashboard_applications.get(app_id)

    def send(self, body: Any) -> MessageV2:
        """Validate a ``messageRequest`` and accept it (202); status events follow."""
        if not isinstance(body, dict):
            raise field_error("", "The request body must be a JSON object")
        app_id = body.get("applicationId")
        if not isinstance(app_id, str) or not app_id:
            raise field_error("applicationId", "'applicationId' is required")
        to = _strings(body.get("to"), "to")
        if len(to) > MAX_GROUP or len(set(to)) != len(to):
            raise field_error("to", f"'to' must hold at most {MAX_GROUP} unique numbers")
        for number in to:
            if not _E164.match(number):
                raise field_error("to", f"'{number}' is not a valid E.164 number")
        sender = body.get("from")
        if not isinstance(sender, str) or not sender:
            raise field_error("from", "'from' is required")
        text = _text(body, "text", MAX_TEXT) or ""
        media = [] if body.get("media") is None else _strings(body.get("media"), "media")
        if any(len(url) > MAX_MEDIA_URL for url in media):
            raise field_error("media", f"media URLs are at most {MAX_MEDIA_URL} characters")
        priority = body.get("priority") or "default"
        if priority not in ("default", "high"):
            raise field_error("priority", "'priority' must be 'default' or 'high'")
        moment = now()
        msg = MessageV2(
            message_id=_message_id(moment),
            owner=sender,
            application_id=app_id,
            time=moment,
            direction="out",
            to=to,
            from_number=sender,
            text=text,
            media=media,
            tag=_text(body, "tag", MAX_TAG),
            priority=priority,
            expiration=_text(body, "expiration", 64),
            segment_count=_segments(text),
        )
        return self._accept(msg)

    def _accept(self, msg: MessageV2) -> MessageV2:
        with self.store.write() as world:
            app = world.dashboard_applications.get(msg.application_id)
            if app is None or app.service_type != MESSAGING_V2:
                raise field_error(
                    "applicationId",
                    f"'{msg.application_id}' is not a messaging application of this account",
                )
            tn = self._owned(world, msg.from_number)
            if tn is None:
                raise field_error(
                    "from", f"'{msg.from_number}' is not a number in service on this account"
                )
            owner = self._app_of_number(world, tn)
            if owner is None or owner.application_id != app.application_id:
                msg.state = "vanished"
            world.messages_v2[msg.message_id] = msg
            webhook = None if msg.state == "vanished" else self._status(world, app, msg)
        if webhook is not None:
            self._dispatch([webhook])
        return copy.deepcopy(msg)

    @staticmethod
    def _status(world: World, app: DashboardApplication, msg: MessageV2) -> Webhook | None:
        """Delivered or failed per recipient, as the application requested (v2 doc 2, 4)."""
        if not app.outbound_callback_url:
            return None
        moment = now()
        events = []
        for number in msg.to:
            code = world.undeliverable.get(number)
            if code is None and "message-delivered" in app.callback_types:
                events.append(
                    event_json("message-delivered", msg, number, moment, "Message delivered")
                )
            elif code is not None and "message-failed" in app.callback_types:
                text = FAILURE_DESCRIPTIONS.get(code, FAILURE_DESCRIPTIONS[DEFAULT_FAILURE_CODE])
                events.append(event_json("message-failed", msg, number, moment, text, code))
        if not events:
            return None
        return Webhook(
            app.outbound_callback_url,
            app.outbound_user,
            app.outbound_password,
            events,
            msg.message_id,
        )

    def receive(self, sender: str, to: str, text: str) -> Webhook | None:
        """An inbound message to ``to``: a ``message-received`` webhook to the inbound URL of
        the application of ``to``'s Location, or ``None`` when no such application exists."""
        with self.store.write() as world:
            tn = self._owned(world, to)
            app = None if tn is None else self._app_of_number(world, tn)
            if app is None or not app.inbound_callback_url:
                return None
            moment = now()
            msg = MessageV2(
                message_id=_message_id(moment),
                owner=to,
                application_id=app.application_id,
                time=moment,
                direction="in",
                to=[to],
                from_number=sender,
                text=text,
                segment_count=_segments(text),
            )
            world.messages_v2[msg.message_id] = msg
            event = event_json("message-received", msg, to, moment, "Incoming message received")
            webhook = Webhook(
                app.inbound_callback_url,
                app.inbound_user,
                app.inbound_password,
                [event],
                msg.message_id,
            )
        self._dispatch([webhook])
        return webhook
