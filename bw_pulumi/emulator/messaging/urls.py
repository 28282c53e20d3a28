"""The Messaging API v2 route table, paths relative to its ``/api/v2`` base. Endpoint names are
public in ``GET /_emulator/stats`` and name the request budgets: never rename one.
"""

from __future__ import annotations

from bw_pulumi.emulator.messaging import responses as msg
from bw_pulumi.emulator.wire import Route
from bw_pulumi.emulator.wire import route as _route

__all__ = ["ROUTES"]

ROUTES: list[Route] = [
    _route("POST", "/users/<account_id>/messages", "messaging.messages.create", msg.send_message),
]
