"""Catapult v1 wire format, part 1: applications and phoneNumbers (the Dashboard import).

JSON shapes, ids and quirks follow bandwidth-api.md sections 9-11: creates answer 201 with a
``Location`` and no body; GET omits unset fields, lower-cases ``callbackHttpMethod`` and echoes
the legacy ``incomingSmsUrl``; a number exposes its ``application`` as a URL, never an id.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, TypeVar
from urllib.parse import urlencode

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from bw_pulumi.emulator.models import (
    Application,
    PhoneNumber,
    iso_seconds,
    new_catapult_id,
    now,
)
from bw_pulumi.emulator.state import World
from bw_pulumi.emulator.wire import Context, empty, json_error, json_response

__all__ = ["HANDLERS", "RULES", "app_json", "find_number", "number_json", "read_body", "users_url"]

T = TypeVar("T")
_E164 = re.compile(r"^\+1([2-9]\d{2}[2-9]\d{6})$")
DEFAULT_SIZE = 25  # AP pagination defaults (API doc 9)
MAX_SIZE = 1000
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


def _invalid(message: str) -> Response:
    return json_error(400, "bad-request", "validation-error", message)


def read_body(request: Request) -> dict[str, Any] | Response:
    try:
        data = json.loads(request.get_data() or b"{}")
    except ValueError:
        return _invalid("The request body is not valid JSON.")
    if not isinstance(data, dict):
        return _invalid("The request body must be a JSON object.")
    return data


def users_url(request: Request, user_id: str, *parts: str) -> str:
    return request.host_url.rstrip("/") + f"/v1/users/{user_id}/" + "/".join(parts)


def _page(request: Request, items: Sequence[T]) -> tuple[list[T], dict[str, str]] | Response:
    """Slice by ``page``/``size`` and build the RFC 5988 ``Link`` header (API doc 9)."""
    try:
        page = int(request.args.get("page", 0))
        size = int(request.args.get("size", DEFAULT_SIZE))
    except ValueError:
        return _invalid("page and size must be integers.")
    if page < 0 or not 1 <= size <= MAX_SIZE:
        return _invalid(f"page must be >= 0 and size between 1 and {MAX_SIZE}.")
    others = {k: v for k, v in request.args.items() if k not in ("page", "size")}

    def link(number: int, rel: str) -> str:
        query = urlencode({**others, "page": number, "size": size})
        return f'<{request.base_url}?{query}>; rel="{rel}"'

    links = [link(0, "first")]
    if (page + 1) * size < len(items):
        links.append(link(page + 1, "next"))
    return list(items[page * size : (page + 1) * size]), {"Link": ",".join(links)}


# -- applications ----------------------------------------------------------------------------


def _merge_app(fields: dict[str, Any], data: dict[str, Any]) -> None:
    """Apply a create/update body; JSON nulls change nothing (PY-BW sends them, API doc 10)."""
    for key, value in data.items():
        key = _LEGACY.get(key, key)
        # Ignoring nulls is inferred from PY-BW's behaviour, never verified (API doc 10 and 15).
        if value is None or (key not in APP_FIELDS and key != "name"):
            continue
        fields[key] = value


def _validate_app(fields: dict[str, Any]) -> str | None:
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


def _app_not_found(application_id: str) -> Response:
    return json_error(
        404,
        "not-found",
        "application-not-found",
        f"The application {application_id} could not be found",
    )


def create_application(ctx: Context, request: Request, user_id: str) -> Response:
    data = read_body(request)
    if isinstance(data, Response):
        return data
    fields: dict[str, Any] = {}
    _merge_app(fields, data)
    problem = _validate_app(fields)
    if problem:
        return _invalid(problem)
    app = Application(new_catapult_id("a"), fields["name"], fields)
    with ctx.store.write() as world:
        world.applications[app.application_id] = app
    return empty(201, {"Location": users_url(request, user_id, "applications", app.application_id)})


def list_applications(ctx: Context, request: Request, user_id: str) -> Response:
    with ctx.store.read() as world:
        apps = [app_json(a) for a in world.applications.values()]
    paged = _page(request, apps)
    if isinstance(paged, Response):
        return paged
    return json_response(paged[0], headers=paged[1])


def get_application(ctx: Context, request: Request, user_id: str, application_id: str) -> Response:
    with ctx.store.read() as world:
        app = world.applications.get(application_id)
        out = None if app is None else app_json(app)
    return _app_not_found(application_id) if out is None else json_response(out)


def update_application(
    ctx: Context, request: Request, user_id: str, application_id: str
) -> Response:
    data = read_body(request)
    if isinstance(data, Response):
        return data
    with ctx.store.write() as world:
        app = world.applications.get(application_id)
        if app is None:
            return _app_not_found(application_id)
        fields = dict(app.fields)
        _merge_app(fields, data)
        problem = _validate_app(fields)
        if problem:
            return _invalid(problem)
        app.fields = fields
        app.name = fields["name"]
    return empty(200)


def delete_application(
    ctx: Context, request: Request, user_id: str, application_id: str
) -> Response:
    with ctx.store.write() as world:
        if world.applications.pop(application_id, None) is None:
            return _app_not_found(application_id)
        # Numbers still bound keep their now-dangling application URL: what Catapult does
        # here is unknown (API doc 10, 15).
    return empty(200)


# -- phoneNumbers ----------------------------------------------------------------------------


def _national(e164: str) -> str:
    digits = e164[2:]
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"


def number_json(request: Request, user_id: str, number: PhoneNumber) -> dict[str, Any]:
    out: dict[str, Any] = {"id": number.number_id, "number": number.number}
    out["nationalNumber"] = _national(number.number)
    if number.name is not None:
        out["name"] = number.name
    if number.application_id:
        out["application"] = users_url(request, user_id, "applications", number.application_id)
    if number.fallback_number:
        out["fallbackNumber"] = number.fallback_number
    # price is a STRING and there is no applicationId in responses (API doc 11).
    out["price"] = "0.00"
    out["createdTime"] = iso_seconds(number.created)
    out["numberState"] = "enabled"
    return out


def _number_not_found(ident: str) -> Response:
    return json_error(
        404, "not-found", "number-not-found", f"The number {ident} could not be found"
    )


def find_number(world: World, ident: str) -> PhoneNumber | None:
    if ident.startswith("+"):
        return next((n for n in world.phone_numbers.values() if n.number == ident), None)
    return world.phone_numbers.get(ident)


def _import_problem(ctx: Context, data: dict[str, Any]) -> Response | None:
    """Why this import may not happen, as a Catapult error; the error codes below are ours."""
    provider = data.get("provider")
    # Only the import variant is emulated; allocating (no provider) is refused here.
    if not isinstance(provider, dict) or provider.get("providerName") != "bandwidth-dashboard":
        return _invalid(
            'Only imports with provider.providerName "bandwidth-dashboard" are emulated.'
        )
    if not data.get("applicationId"):
        # Optional when allocating, required when importing (API doc 11); message ours.
        return _invalid("applicationId is required to import a number.")
    props = provider.get("properties") or {}
    accounts = ctx.store.accounts
    if (
        props.get("accountId") != accounts.account_id
        or props.get("userName") != accounts.username
        or props.get("password") != accounts.password
    ):
        # The real error is unverified (API doc 15); the message names no credential.
        return json_error(
            400,
            "bad-request",
            "provider-authentication-failed",
            "The bandwidth-dashboard provider rejected provider.properties "
            "(accountId, userName, password): check the Dashboard account and API user.",
        )
    return None


def create_number(ctx: Context, request: Request, user_id: str) -> Response:
    data = read_body(request)
    if isinstance(data, Response):
        return data
    raw = data.get("number")
    match = _E164.match(raw) if isinstance(raw, str) else None
    if match is None or not isinstance(raw, str):
        return _invalid("Invalid phone number")
    app_id = data.get("applicationId") or None
    with ctx.store.write() as world:
        problem = _import_problem(ctx, data)
        if problem is not None:
            return problem
        if match.group(1) not in world.in_service:
            return json_error(
                400,
                "bad-request",
                "number-not-in-service",
                f"Number {raw} is not in service on Dashboard account "
                f"{ctx.store.accounts.account_id}; import it there first (importTnOrders).",
            )
        existing = find_number(world, raw)
        if existing is not None:
            return json_error(
                409,
                "conflict",
                "duplicate-number",
                f"Cannot create another instance of number resource {existing.number_id} "
                f"for number {raw}",
            )
        if app_id is not None and app_id not in world.applications:
            return _app_not_found(str(app_id))
        number = PhoneNumber(new_catapult_id("n"), raw, now(), app_id, data.get("name"))
        world.phone_numbers[number.number_id] = number
    return empty(201, {"Location": users_url(request, user_id, "phoneNumbers", number.number_id)})


def list_numbers(ctx: Context, request: Request, user_id: str) -> Response:
    app_id = request.args.get("applicationId")
    name = request.args.get("name")
    # Every listed number is enabled (deleted ones are gone, API doc 11), so numberState selects
    # all or nothing. state and city are accepted and not applied: numbers carry neither here.
    number_state = request.args.get("numberState")
    wanted = number_state is None or number_state.lower() == "enabled"
    with ctx.store.read() as world:
        found = [
            number_json(request, user_id, n)
            for n in world.phone_numbers.values()
            if wanted
            and (app_id is None or n.application_id == app_id)
            and (name is None or n.name == name)
        ]
    paged = _page(request, found)
    if isinstance(paged, Response):
        return paged
    return json_response(paged[0], headers=paged[1])


def get_number(ctx: Context, request: Request, user_id: str, number_id: str) -> Response:
    with ctx.store.read() as world:
        number = find_number(world, number_id)
        out = None if number is None else number_json(request, user_id, number)
    return _number_not_found(number_id) if out is None else json_response(out)


def update_number(ctx: Context, request: Request, user_id: str, number_id: str) -> Response:
    data = read_body(request)
    if isinstance(data, Response):
        return data
    with ctx.store.write() as world:
        number = find_number(world, number_id)
        if number is None:
            return _number_not_found(number_id)
        if "applicationId" in data and data["applicationId"] is not None:
            app_id = data["applicationId"]
            if app_id and app_id not in world.applications:
                return _app_not_found(str(app_id))
            number.application_id = app_id or None  # "" disassociates (API doc 11)
        if data.get("name") is not None:
            number.name = data["name"]
        if data.get("fallbackNumber") is not None:
            number.fallback_number = data["fallbackNumber"] or None
    return empty(200)


def delete_number(ctx: Context, request: Request, user_id: str, number_id: str) -> Response:
    with ctx.store.write() as world:
        number = find_number(world, number_id)
        if number is None:
            return _number_not_found(number_id)
        # Gone from lists and re-importable: whether Catapult keeps it as "released" or allows a
        # re-import is unverified (API doc 11); this is the permissive reading.
        del world.phone_numbers[number.number_id]
    return empty(200)


_U = "/v1/users/<user_id>"
RULES = [
    Rule(f"{_U}/applications", endpoint="catapult.applications.create", methods=["POST"]),
    Rule(f"{_U}/applications", endpoint="catapult.applications.list", methods=["GET"]),
    Rule(
        f"{_U}/applications/<application_id>", endpoint="catapult.applications.get", methods=["GET"]
    ),
    Rule(
        f"{_U}/applications/<application_id>",
        endpoint="catapult.applications.update",
        methods=["POST"],
    ),
    Rule(
        f"{_U}/applications/<application_id>",
        endpoint="catapult.applications.delete",
        methods=["DELETE"],
    ),
    Rule(f"{_U}/phoneNumbers", endpoint="catapult.numbers.create", methods=["POST"]),
    Rule(f"{_U}/phoneNumbers", endpoint="catapult.numbers.list", methods=["GET"]),
    Rule(f"{_U}/phoneNumbers/<number_id>", endpoint="catapult.numbers.get", methods=["GET"]),
    Rule(f"{_U}/phoneNumbers/<number_id>", endpoint="catapult.numbers.update", methods=["POST"]),
    Rule(f"{_U}/phoneNumbers/<number_id>", endpoint="catapult.numbers.delete", methods=["DELETE"]),
]

HANDLERS: dict[str, Any] = {
    "catapult.applications.create": create_application,
    "catapult.applications.list": list_applications,
    "catapult.applications.get": get_application,
    "catapult.applications.update": update_application,
    "catapult.applications.delete": delete_application,
    "catapult.numbers.create": create_number,
    "catapult.numbers.list": list_numbers,
    "catapult.numbers.get": get_number,
    "catapult.numbers.update": update_number,
    "catapult.numbers.delete": delete_number,
}
