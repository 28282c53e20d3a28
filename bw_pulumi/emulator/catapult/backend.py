"""Catapult v1 operations: applications, phoneNumbers (the Dashboard import) and messages.

One method per operation, taking the decoded JSON body and returning copies of models; every
refusal is an :class:`EmulatorFault` with Catapult's string code (bandwidth-api.md sections 9-11).
Never sees HTTP (moto's backend); :mod:`.responses` parses and renders.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from bw_pulumi.emulator.catapult.models import Application, InboundSms, Message, PhoneNumber
from bw_pulumi.emulator.common import iso_seconds, new_catapult_id, now
from bw_pulumi.emulator.errors import EmulatorFault
from bw_pulumi.emulator.models import World
from bw_pulumi.emulator.store import Store

__all__ = ["APP_FIELDS", "CatapultBackend", "invalid"]

_E164 = re.compile(r"^\+1([2-9]\d{2}[2-9]\d{6})$")
MAX_TIMEOUT_MS = 10000
#: Application fields in the order GET returns them; legacy ``incomingSms*`` names are aliases.
APP_FIELDS = (
    "incomingCallUrl",
    "incomingCallUrlCallbackTimeout",
    "incomingCallFallbackUrl",
    "incomingMessageUrl",
    "incomingMessageUrlCallbackTimeout",
    "incomingMessageFallbackUrl",
    "callbackHttpMethod",
    "autoAnswer",
)
_LEGACY = {
    "incomingSmsUrl": "incomingMessageUrl",
    "incomingSmsUrlCallbackTimeout": "incomingMessageUrlCallbackTimeout",
    "incomingSmsFallbackUrl": "incomingMessageFallbackUrl",
}


def invalid(message: str) -> EmulatorFault:
    """Catapult's 400 ``validation-error``."""
    return EmulatorFault(400, "validation-error", message)


def _app_not_found(application_id: str) -> EmulatorFault:
    return EmulatorFault(
        404, "application-not-found", f"The application {application_id} could not be found"
    )


def _number_not_found(ident: str) -> EmulatorFault:
    return EmulatorFault(404, "number-not-found", f"The number {ident} could not be found")


def _merge_app(fields: dict[str, Any], data: dict[str, Any]) -> None:
    """Apply a create/update body; JSON nulls change nothing (PY-BW sends them, API doc 10)."""
    for key, value in data.items():
        key = _LEGACY.get(key, key)
        # Ignoring nulls is inferred from PY-BW's behaviour, never verified (API doc 10 and 15).
        if value is None or (key not in APP_FIELDS and key != "name"):
            continue
        fields[key] = value


def _app_problem(fields: dict[str, Any]) -> str | None:
    """The AP postApplications rules; messages are AP errors.md texts where it gives them."""
    if not isinstance(fields.get("name"), str) or not fields["name"].strip():
        return "Application name is required."
    if not fields.get("incomingCallUrl") and not fields.get("incomingMessageUrl"):
        return "Your application must have a least one callback URL."
    if fields.get("incomingCallFallbackUrl") and not fields.get("incomingCallUrl"):
        return "Your application must have a call callback URL in order to have a fallback URL."
    if fields.get("incomingMessageFallbackUrl") and not fields.get("incomingMessageUrl"):
        return "Your application must have a message callback URL in order to have a fallback URL."
    for key, label in (
        ("incomingCallUrlCallbackTimeout", "Incoming Call"),
        ("incomingMessageUrlCallbackTimeout", "Incoming Message"),
    ):
        value = fields.get(key)
        if value is not None and (not isinstance(value, int) or not 0 < value <= MAX_TIMEOUT_MS):
            return f"{label} callback timeout must not surpass {MAX_TIMEOUT_MS}"
    method = fields.get("callbackHttpMethod")
    if method is not None and str(method).upper() not in ("GET", "POST"):
        return "callbackHttpMethod must be GET or POST."
    if "autoAnswer" in fields and not isinstance(fields["autoAnswer"], bool):
        return "autoAnswer must be a boolean."
    return None


def _find_number(world: World, ident: str) -> PhoneNumber | None:
    """By id, or by E.164 number (Catapult accepts both in the path, API doc 11)."""
    if ident.startswith("+"):
        return next((n for n in world.phone_numbers.values() if n.number == ident), None)
    return world.phone_numbers.get(ident)


class CatapultBackend:
    """The one Catapult user's applications, numbers and messages, over the shared store."""

    def __init__(self, store: Store, dispatch: Callable[[list[InboundSms]], None]) -> None:
        self.store = store
        self._dispatch = dispatch

    # -- applications --------------------------------------------------------------------

    def create_application(self, data: dict[str, Any]) -> Application:
        fields: dict[str, Any] = {}
        _merge_app(fields, data)
        problem = _app_problem(fields)
        if problem:
            raise invalid(problem)
        app = Application(new_catapult_id("a"), fields["name"], fields)
        with self.store.write() as world:
            world.applications[app.application_id] = app
        return copy.deepcopy(app)

    def list_applications(self) -> list[Application]:
        with self.store.read() as world:
            return copy.deepcopy(list(world.applications.values()))

    def get_application(self, application_id: str) -> Application:
        with self.store.read() as world:
            app = world.applications.get(application_id)
            if app is None:
                raise _app_not_found(application_id)
            return copy.deepcopy(app)

    def update_application(self, application_id: str, data: dict[str, Any]) -> None:
        with self.store.write() as world:
            app = world.applications.get(application_id)
            if app is None:
                raise _app_not_found(application_id)
            fields = dict(app.fields)
            _merge_app(fields, data)
            problem = _app_problem(fields)
            if problem:
                raise invalid(problem)
            app.fields = fields
            app.name = fields["name"]

    def delete_application(self, application_id: str) -> None:
        with self.store.write() as world:
            if world.applications.pop(application_id, None) is None:
                raise _app_not_found(application_id)
            # Numbers still bound keep their now-dangling application URL: what Catapult does
            # here is unknown (API doc 10, 15).

    # -- phoneNumbers --------------------------------------------------------------------

    def _import_problem(self, data: dict[str, Any]) -> EmulatorFault | None:
        """Why this import may not happen; the error codes below are ours."""
        provider = data.get("provider")
        # Only the import variant is emulated; allocating (no provider) is refused here.
        if not isinstance(provider, dict) or provider.get("providerName") != "bandwidth-dashboard":
            return invalid(
                'Only imports with provider.providerName "bandwidth-dashboard" are emulated.'
            )
        if not data.get("applicationId"):
            # Optional when allocating, required when importing (API doc 11); message ours.
            return invalid("applicationId is required to import a number.")
        props = provider.get("properties") or {}
        accounts = self.store.accounts
        if (
            props.get("accountId") != accounts.account_id
            or props.get("userName") != accounts.username
            or props.get("password") != accounts.password
        ):
            # The real error is unverified (API doc 15); the message names no credential.
            return EmulatorFault(
                400,
                "provider-authentication-failed",
                "The bandwidth-dashboard provider rejected provider.properties "
                "(accountId, userName, password): check the Dashboard account and API user.",
            )
        return None

    def import_number(self, data: dict[str, Any]) -> PhoneNumber:
        """``POST /phoneNumbers`` with the ``bandwidth-dashboard`` provider (API doc 11)."""
        raw = data.get("number")
        match = _E164.match(raw) if isinstance(raw, str) else None
        if match is None or not isinstance(raw, str):
            raise invalid("Invalid phone number")
        app_id = data.get("applicationId") or None
        with self.store.write() as world:
            problem = self._import_problem(data)
            if problem is not None:
                raise problem
            if match.group(1) not in world.in_service:
                raise EmulatorFault(
                    400,
                    "number-not-in-service",
                    f"Number {raw} is not in service on Dashboard account "
                    f"{self.store.accounts.account_id}; import it there first (importTnOrders).",
                )
            existing = _find_number(world, raw)
            if existing is not None:
                raise EmulatorFault(
                    409,
                    "duplicate-number",
                    f"Cannot create another instance of number resource {existing.number_id} "
                    f"for number {raw}",
                )
            if app_id is not None and app_id not in world.applications:
                raise _app_not_found(str(app_id))
            number = PhoneNumber(new_catapult_id("n"), raw, now(), app_id, data.get("name"))
            world.phone_numbers[number.number_id] = number
            return copy.deepcopy(number)

    def list_numbers(
        self, application_id: str | None, name: str | None, number_state: str | None
    ) -> list[PhoneNumber]:
        # Every listed number is enabled (deleted ones are gone, API doc 11), so numberState
        # selects all or nothing. state and city are not applied: numbers carry neither here.
        wanted = number_state is None or number_state.lower() == "enabled"
        with self.store.read() as world:
            return [
                copy.deepcopy(n)
                for n in world.phone_numbers.values()
                if wanted
                and (application_id is None or n.application_id == application_id)
                and (name is None or n.name == name)
            ]

    def get_number(self, ident: str) -> PhoneNumber:
        with self.store.read() as world:
            number = _find_number(world, ident)
            if number is None:
                raise _number_not_found(ident)
            return copy.deepcopy(number)

    def update_number(self, ident: str, data: dict[str, Any]) -> None:
        with self.store.write() as world:
            number = _find_number(world, ident)
            if number is None:
                raise _number_not_found(ident)
            if "applicationId" in data and data["applicationId"] is not None:
                app_id = data["applicationId"]
                if app_id and app_id not in world.applications:
                    raise _app_not_found(str(app_id))
                number.application_id = app_id or None  # "" disassociates (API doc 11)
            if data.get("name") is not None:
                number.name = data["name"]
            if data.get("fallbackNumber") is not None:
                number.fallback_number = data["fallbackNumber"] or None

    def delete_number(self, ident: str) -> None:
        with self.store.write() as world:
            number = _find_number(world, ident)
            if number is None:
                raise _number_not_found(ident)
            # Gone from lists and re-importable: whether Catapult keeps it as "released" or
            # allows a re-import is unverified (API doc 11); this is the permissive reading.
            del world.phone_numbers[number.number_id]

    # -- messages ------------------------------------------------------------------------

    def send_message(self, data: dict[str, Any]) -> Message:
        """An outbound SMS must come from a number imported into Catapult (Bandwidth's Hosted
        Messaging guide, step 5)."""
        sender, to, text = data.get("from"), data.get("to"), data.get("text")
        if not isinstance(sender, str) or not isinstance(to, str) or not _E164.match(to):
            raise invalid("from and to must be E.164 numbers.")
        with self.store.write() as world:
            owner = _find_number(world, sender)
            if owner is None:
                raise invalid(f"The from number {sender} is not one of your numbers.")
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
            return copy.deepcopy(message)

    def get_message(self, message_id: str) -> Message:
        with self.store.read() as world:
            message = world.messages.get(message_id)
            if message is None:
                raise EmulatorFault(
                    404, "message-not-found", f"The message {message_id} could not be found"
                )
            return copy.deepcopy(message)

    def receive_sms(self, sender: str, to: str, text: str) -> InboundSms:
        """Simulate an SMS to ``to``, delivered to the owning application (the guide's step 6)."""
        with self.store.write() as world:
            number = _find_number(world, to)
            app = (
                None
                if number is None or not number.application_id
                else world.applications.get(number.application_id)
            )
            url = None if app is None else app.fields.get("incomingMessageUrl")
            if number is None or app is None or not url:
                raise EmulatorFault(
                    404,
                    None,
                    f"{to} is not an imported number whose application has an incomingMessageUrl",
                )
            message = Message(
                new_catapult_id("m"), sender, to, text, now(), "in", "received", app.application_id
            )
            world.messages[message.message_id] = message
            method = str(app.fields.get("callbackHttpMethod") or "POST").upper()
        # Catapult v1 message callback fields (the Hosted Messaging guide's steps 5-6).
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
        sms = InboundSms(url=str(url), method=method, event=event)
        self._dispatch([sms])
        return sms
