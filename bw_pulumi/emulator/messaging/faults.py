"""Every Messaging API v2 error shape, in one place (bandwidth-api-v2.md 4 "Errors").

400 is ``createMessageRequestError {type, description, fieldErrors[]}`` (e.g. ``type:
request-validation``); 401, 403, 404, 405, 429 and 5xx are ``messagingRequestError {type,
description}``. The ``type`` strings other than ``request-validation`` and
``max-message-queue-size-exceeded`` are not documented: ours are descriptive.
"""

from __future__ import annotations

import math

from werkzeug.wrappers import Request, Response

from bw_pulumi.emulator.errors import EmulatorFault
from bw_pulumi.emulator.wire import json_response

__all__ = [
    "denied",
    "field_error",
    "no_route",
    "render_fault",
    "too_many",
    "unauthorized",
    "unavailable",
]


def field_error(field: str, description: str) -> EmulatorFault:
    """A request-validation refusal naming the field (its ``subject``)."""
    return EmulatorFault(400, "request-validation", description, subject=field)


def render_fault(fault: EmulatorFault) -> Response:
    body: dict[str, object] = {"type": str(fault.code), "description": fault.description}
    if fault.status == 400:
        body["fieldErrors"] = (
            [{"fieldName": fault.subject, "description": fault.description}]
            if fault.subject
            else []
        )
    return json_response(body, fault.status)


def _error(status: int, kind: str, description: str) -> Response:
    return json_response({"type": kind, "description": description}, status)


# -- refusals made before any handler runs ---------------------------------------------------


def unauthorized() -> Response:
    response = _error(401, "unauthorized", "Authentication Failed")
    response.headers["WWW-Authenticate"] = 'Basic realm="Bandwidth Messaging"'
    return response


def denied(whose: str) -> Response:
    return _error(403, "forbidden", f"Access to account {whose} is denied")


def too_many(request: Request, wait: float) -> Response:
    """The documented queue-full 429, with ``Retry-After`` (v2 doc 6)."""
    response = _error(
        429, "max-message-queue-size-exceeded", "The message queue of this account is full"
    )
    response.headers["Retry-After"] = str(math.ceil(wait))
    return response


def unavailable(status: int) -> Response:
    return _error(status, "internal-server-error", "Emulated fault")


def no_route() -> Response:
    return _error(404, "not-found", "The resource does not exist")
