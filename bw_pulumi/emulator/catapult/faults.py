"""Every Catapult error shape, in one place: faults from handlers and the app's refusals.

Catapult answers errors as JSON ``{category, code, message, details}`` (bandwidth-api.md 9);
rate limits leave out ``message`` and put the reset time, in epoch MILLISECONDS, in a header and
in ``details``.
"""

from __future__ import annotations

import math
import time

from werkzeug.wrappers import Request, Response

from bw_pulumi.emulator.errors import EmulatorFault
from bw_pulumi.emulator.wire import json_error, json_response

__all__ = ["denied", "no_route", "render_fault", "too_many", "unauthorized", "unavailable"]

#: Catapult's error ``category`` per status (API doc 9).
_CATEGORIES = {400: "bad-request", 404: "not-found", 409: "conflict"}


def render_fault(fault: EmulatorFault) -> Response:
    """A backend fault: the category follows the status, the code is Catapult's string."""
    category = _CATEGORIES.get(fault.status, "bad-request")
    return json_error(fault.status, category, str(fault.code), fault.description)


# -- refusals made before any handler runs ---------------------------------------------------


def unauthorized() -> Response:
    response = json_error(401, "authentication", "unauthorized", "Invalid API token or secret")
    response.headers["WWW-Authenticate"] = 'Basic realm="Catapult"'
    return response


def denied(user: str) -> Response:
    return json_error(403, "authorization", "access-denied", f"You have no access to user {user}")


def too_many(request: Request, wait: float) -> Response:
    """JSON without "message", ``X-RateLimit-Reset`` in epoch MILLISECONDS (API doc 9)."""
    millis = str(math.ceil((time.time() + wait) * 1000))
    details = [
        {"name": "rateLimitResetTime", "value": millis},
        {"name": "requestMethod", "value": request.method},
        {"name": "remoteAddress", "value": request.remote_addr or ""},
        {"name": "requestPath", "value": request.path.removeprefix("/v1/")},
    ]
    body = {"category": "too-many-requests", "code": "rate-limit-reached", "details": details}
    return json_response(body, 429, {"X-RateLimit-Reset": millis})


def unavailable(status: int) -> Response:
    return json_error(status, "unavailable", "service-unavailable", "Emulated fault")


def no_route() -> Response:
    return json_error(404, "not-found", "resource-not-found", "The resource does not exist")
