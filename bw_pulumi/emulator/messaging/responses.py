"""Messaging API v2 wire handlers: JSON in, :class:`MessagingBackend`, JSON out.

Paths are relative to the Messaging base (``/api/v2``, the app strips it; Bandwidth's is
``https://messaging.bandwidth.com/api/v2``, v2 doc 4).
"""

from __future__ import annotations

import json

from werkzeug.wrappers import Request, Response

from bw_pulumi.emulator.messaging.backend import MessagingBackend
from bw_pulumi.emulator.messaging.faults import field_error, render_fault
from bw_pulumi.emulator.messaging.wire import message_json
from bw_pulumi.emulator.wire import faults_as, json_response

__all__ = ["send_message"]


@faults_as(render_fault)
def send_message(backend: MessagingBackend, request: Request, account_id: str) -> Response:
    """``POST /users/{accountId}/messages``: 202 with the ``message`` (v2 doc 4 "Send")."""
    try:
        body = json.loads(request.get_data() or b"null")
    except ValueError:
        raise field_error("", "The request body is not valid JSON") from None
    return json_response(message_json(backend.send(body)), 202)
