"""Catapult v1 wire format, part 2: messages out (``POST /messages``) and simulated SMS in.

An outbound message must come from a number imported into Catapult (seeds' step 5); an inbound
one (``POST /_emulator/inbound``) goes to the owning application's ``incomingMessageUrl`` as GET
query parameters or a POST JSON body, per its ``callbackHttpMethod`` (step 6).
"""

from __future__ import annotations

import re
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from bw_pulumi.emulator.catapult import find_number, read_body, users_url
from bw_pulumi.emulator.delivery import InboundSms
from bw_pulumi.emulator.models import Message, iso_seconds, new_catapult_id, now
from bw_pulumi.emulator.wire import Context, empty, json_error, json_response

__all__ = ["HANDLERS", "RULES", "inbound"]

_E164 = re.compile(r"^\+1[2-9]\d{2}[2-9]\d{6}$")


def _invalid(message: str) -> Response:
    return json_error(400, "bad-request", "validation-error", message)


def message_json(message: Message) -> dict[str, Any]:
    return {
        "id": message.message_id,
        "messageId": message.message_id,
        "from": message.from_number,
        "to": message.to_number,
        "text": message.text,
        "time": iso_seconds(message.time),
        "direction": message.direction,
        "state": message.state,
    }


def send_message(ctx: Context, request: Request, user_id: str) -> Response:
    data = read_body(request)
    if isinstance(data, Response):
        return data
    sender, to, text = data.get("from"), data.get("to"), data.get("text")
    if not isinstance(sender, str) or not isinstance(to, str) or not _E164.match(to):
        return _invalid("from and to must be E.164 numbers.")
    with ctx.store.write() as world:
        owner = find_number(world, sender)
        if owner is None:
            return _invalid(f"The from number {sender} is not one of your numbers.")
        message = Message(
            new_catapult_id("m"),
            sender,
            to,
            str(text or ""),
            now(),
            "out",
            "sent",
            owner.application_id,
        )
        world.messages[message.message_id] = message
    return empty(201, {"Location": users_url(request, user_id, "messages", message.message_id)})


def get_message(ctx: Context, request: Request, user_id: str, message_id: str) -> Response:
    with ctx.store.read() as world:
        message = world.messages.get(message_id)
        out = None if message is None else message_json(message)
    if out is None:
        return json_error(
            404, "not-found", "message-not-found", f"The message {message_id} could not be found"
        )
    return json_response(out)


def inbound(ctx: Context, sender: str, to: str, text: str) -> tuple[int, dict[str, Any]]:
    """Simulate an SMS to ``to``; queue it for the owning application's ``incomingMessageUrl``."""
    with ctx.store.write() as world:
        number = find_number(world, to)
        app = (
            None
            if number is None or not number.application_id
            else world.applications.get(number.application_id)
        )
        url = None if app is None else app.fields.get("incomingMessageUrl")
        if number is None or app is None or not url:
            return 404, {
                "error": f"{to} is not an imported number whose application has an "
                "incomingMessageUrl"
            }
        message = Message(
            new_catapult_id("m"), sender, to, text, now(), "in", "received", app.application_id
        )
        world.messages[message.message_id] = message
        method = str(app.fields.get("callbackHttpMethod") or "POST").upper()
    # Catapult v1 message callback fields (seeds' steps 5-6).
    event = {
        "eventType": "sms",
        "direction": "in",
        "from": sender,
        "to": to,
        "text": text,
        "messageId": message.message_id,
        "time": iso_seconds(message.time),
        "state": "received",
        "applicationId": app.application_id,
    }
    ctx.delivery.submit([InboundSms(url=str(url), method=method, event=event)])
    return 201, {"message_id": message.message_id, "url": url, "method": method}


_U = "/v1/users/<user_id>"
RULES = [
    Rule(f"{_U}/messages", endpoint="catapult.messages.create", methods=["POST"]),
    Rule(f"{_U}/messages/<message_id>", endpoint="catapult.messages.get", methods=["GET"]),
]

HANDLERS: dict[str, Any] = {
    "catapult.messages.create": send_message,
    "catapult.messages.get": get_message,
}
