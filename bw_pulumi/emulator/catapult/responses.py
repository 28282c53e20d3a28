"""Catapult v1 wire handlers: decode the JSON body, call :class:`CatapultBackend`, render JSON.

Creates answer 201 with a ``Location`` and no body; lists page with ``page``/``size`` and an RFC
5988 ``Link`` header (bandwidth-api.md 9). Every fault becomes Catapult's JSON error through
:func:`.faults.render_fault`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TypeVar
from urllib.parse import urlencode

from werkzeug.wrappers import Request, Response

from bw_pulumi.emulator.catapult.backend import CatapultBackend, invalid
from bw_pulumi.emulator.catapult.faults import render_fault
from bw_pulumi.emulator.catapult.models import PhoneNumber
from bw_pulumi.emulator.catapult.wire import app_json, message_json, number_json
from bw_pulumi.emulator.wire import empty, faults_as, json_response

T = TypeVar("T")
DEFAULT_SIZE = 25  # AP pagination defaults (API doc 9)
MAX_SIZE = 1000


def _body(request: Request) -> dict[str, Any]:
    try:
        data = json.loads(request.get_data() or b"{}")
    except ValueError:
        raise invalid("The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise invalid("The request body must be a JSON object.")
    return data


def _users_url(request: Request, user_id: str, *parts: str) -> str:
    return request.host_url.rstrip("/") + f"/v1/users/{user_id}/" + "/".join(parts)


def _paged(request: Request, items: Sequence[T]) -> Response:
    """Slice by ``page``/``size`` and build the RFC 5988 ``Link`` header (API doc 9)."""
    try:
        page = int(request.args.get("page", 0))
        size = int(request.args.get("size", DEFAULT_SIZE))
    except ValueError:
        raise invalid("page and size must be integers.") from None
    if page < 0 or not 1 <= size <= MAX_SIZE:
        raise invalid(f"page must be >= 0 and size between 1 and {MAX_SIZE}.")
    others = {k: v for k, v in request.args.items() if k not in ("page", "size")}

    def link(number: int, rel: str) -> str:
        query = urlencode({**others, "page": number, "size": size})
        return f'<{request.base_url}?{query}>; rel="{rel}"'

    links = [link(0, "first")]
    if (page + 1) * size < len(items):
        links.append(link(page + 1, "next"))
    return json_response(
        list(items[page * size : (page + 1) * size]), headers={"Link": ",".join(links)}
    )


# -- applications ----------------------------------------------------------------------------


@faults_as(render_fault)
def create_application(backend: CatapultBackend, request: Request, user_id: str) -> Response:
    app = backend.create_application(_body(request))
    url = _users_url(request, user_id, "applications", app.application_id)
    return empty(201, {"Location": url})


@faults_as(render_fault)
def list_applications(backend: CatapultBackend, request: Request, user_id: str) -> Response:
    return _paged(request, [app_json(a) for a in backend.list_applications()])


@faults_as(render_fault)
def get_application(
    backend: CatapultBackend, request: Request, user_id: str, application_id: str
) -> Response:
    return json_response(app_json(backend.get_application(application_id)))


@faults_as(render_fault)
def update_application(
    backend: CatapultBackend, request: Request, user_id: str, application_id: str
) -> Response:
    backend.update_application(application_id, _body(request))
    return empty(200)


@faults_as(render_fault)
def delete_application(
    backend: CatapultBackend, request: Request, user_id: str, application_id: str
) -> Response:
    backend.delete_application(application_id)
    return empty(200)


# -- phoneNumbers ----------------------------------------------------------------------------


def _number(request: Request, user_id: str, number: PhoneNumber) -> dict[str, Any]:
    app_url = (
        _users_url(request, user_id, "applications", number.application_id)
        if number.application_id
        else None
    )
    return number_json(number, app_url)


@faults_as(render_fault)
def create_number(backend: CatapultBackend, request: Request, user_id: str) -> Response:
    number = backend.import_number(_body(request))
    return empty(201, {"Location": _users_url(request, user_id, "phoneNumbers", number.number_id)})


@faults_as(render_fault)
def list_numbers(backend: CatapultBackend, request: Request, user_id: str) -> Response:
    found = backend.list_numbers(
        request.args.get("applicationId"), request.args.get("name"), request.args.get("numberState")
    )
    return _paged(request, [_number(request, user_id, n) for n in found])


@faults_as(render_fault)
def get_number(
    backend: CatapultBackend, request: Request, user_id: str, number_id: str
) -> Response:
    return json_response(_number(request, user_id, backend.get_number(number_id)))


@faults_as(render_fault)
def update_number(
    backend: CatapultBackend, request: Request, user_id: str, number_id: str
) -> Response:
    backend.update_number(number_id, _body(request))
    return empty(200)


@faults_as(render_fault)
def delete_number(
    backend: CatapultBackend, request: Request, user_id: str, number_id: str
) -> Response:
    backend.delete_number(number_id)
    return empty(200)


# -- messages --------------------------------------------------------------------------------


@faults_as(render_fault)
def send_message(backend: CatapultBackend, request: Request, user_id: str) -> Response:
    message = backend.send_message(_body(request))
    return empty(201, {"Location": _users_url(request, user_id, "messages", message.message_id)})


@faults_as(render_fault)
def get_message(
    backend: CatapultBackend, request: Request, user_id: str, message_id: str
) -> Response:
    return json_response(message_json(backend.get_message(message_id)))
