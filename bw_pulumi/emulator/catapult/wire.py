"""Catapult v1 objects as its GETs return them (bandwidth-api.md sections 9-11).

The outbound half of the Catapult wire format, shared by the handlers and by the control API's
state view (which shows applications as Catapult does). Quirks: unset fields are omitted,
``callbackHttpMethod`` comes back lower-cased, the legacy ``incomingSmsUrl`` is echoed, and a
number names its application by URL, never by id.
"""

from __future__ import annotations

from typing import Any

from bw_pulumi.emulator.catapult.backend import APP_FIELDS
from bw_pulumi.emulator.catapult.models import Application, Message, PhoneNumber
from bw_pulumi.emulator.common import iso_seconds

__all__ = ["app_json", "message_json", "number_json"]


def app_json(app: Application) -> dict[str, Any]:
    out: dict[str, Any] = {"id": app.application_id, "name": app.fields["name"]}
    for key in APP_FIELDS:
        if app.fields.get(key) is not None:
            out[key] = app.fields[key]
    if "incomingMessageUrl" in out:
        out["incomingSmsUrl"] = out["incomingMessageUrl"]  # legacy echo (PY-BW outputs)
    out["callbackHttpMethod"] = str(app.fields.get("callbackHttpMethod") or "post").lower()
    out["autoAnswer"] = app.fields.get("autoAnswer", True)
    return out


def _national(e164: str) -> str:
    digits = e164[2:]
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"


def number_json(number: PhoneNumber, application_url: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"id": number.number_id, "number": number.number}
    out["nationalNumber"] = _national(number.number)
    if number.name is not None:
        out["name"] = number.name
    if application_url:
        out["application"] = application_url
    if number.fallback_number:
        out["fallbackNumber"] = number.fallback_number
    # price is a STRING and there is no applicationId in responses (API doc 11).
    out["price"] = "0.00"
    out["createdTime"] = iso_seconds(number.created)
    out["numberState"] = "enabled"
    return out


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
