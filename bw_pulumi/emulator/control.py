"""The ``/_emulator/`` control API handlers (JSON, no auth, loopback only).

Tests and users script the emulator through it (design.md "Emulator contract"); everything a
person could do in the Bandwidth portal goes through the real API routes instead. Its client is
:mod:`.control_client`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from werkzeug.wrappers import Request, Response

from bw_pulumi.emulator.catapult.backend import CatapultBackend
from bw_pulumi.emulator.catapult.wire import app_json
from bw_pulumi.emulator.clock import Progression
from bw_pulumi.emulator.common import now, to_dict
from bw_pulumi.emulator.dashboard import orders
from bw_pulumi.emulator.dashboard.models import (
    DEFAULT_FAILING_CODE,
    DEFAULT_UNIMPORTABLE_CODE,
    EXTERNAL,
    IMPORT,
    REMOVE,
)
from bw_pulumi.emulator.delivery import Delivery
from bw_pulumi.emulator.errors import EmulatorFault
from bw_pulumi.emulator.messaging.backend import MessagingBackend
from bw_pulumi.emulator.messaging.models import DEFAULT_FAILURE_CODE
from bw_pulumi.emulator.models import World
from bw_pulumi.emulator.oauth import Tokens
from bw_pulumi.emulator.store import Store
from bw_pulumi.emulator.traffic import Budgets, FaultPlan, Faults, Stats
from bw_pulumi.emulator.wire import faults_as, json_response

__all__ = ["ControlContext", "state_json"]

_NANPA_DIGITS = 10


@dataclass
class ControlContext:
    """What the control handlers reach: the store, delivery, the traffic shapers, the Catapult
    and Messaging backends (an inbound message is theirs) and the OAuth2 tokens."""

    store: Store
    delivery: Delivery
    catapult: CatapultBackend
    faults: Faults
    budgets: Budgets
    stats: Stats
    messaging: MessagingBackend
    tokens: Tokens


def _bad(message: str) -> EmulatorFault:
    return EmulatorFault(400, None, message)


def _render(fault: EmulatorFault) -> Response:
    """Every control refusal is ``{"error": text}`` with its status."""
    return json_response({"error": fault.description}, fault.status)


def _json(request: Request) -> dict[str, Any]:
    try:
        data = json.loads(request.get_data() or b"{}")
    except ValueError:
        raise _bad("body is not JSON") from None
    if not isinstance(data, dict):
        raise _bad("body must be a JSON object")
    return data


def state_json(world: World) -> dict[str, Any]:
    """Every object, each with an ``id`` (design.md control API)."""
    moment = now()

    def order(o: Any) -> dict[str, Any]:
        data = to_dict(o)
        data["id"] = o.order_id
        data["loas"] = [loa.file_name for loa in o.loas]
        return data

    def sub(s: Any) -> dict[str, Any]:
        data = to_dict(s)
        data["id"] = s.subscription_id
        data["expiry_remaining"] = (
            None if s.expires_at is None else max(0, int(s.expires_at - moment))
        )
        return data

    by_kind = {
        k: [order(o) for o in world.orders.values() if o.kind == k]
        for k in (IMPORT, REMOVE, EXTERNAL)
    }
    return {
        "subscriptions": [sub(s) for s in world.subscriptions.values()],
        "import_orders": by_kind[IMPORT],
        "remove_orders": by_kind[REMOVE],
        "external_orders": by_kind[EXTERNAL],
        "in_service": sorted(world.in_service),
        "in_service_peers": dict(world.in_service_peers),
        "dashboard_applications": [
            {**to_dict(a), "id": a.application_id} for a in world.dashboard_applications.values()
        ],
        "sites": [{**to_dict(s), "id": s.site_id} for s in world.sites.values()],
        "sip_peers": [{**to_dict(p), "id": p.peer_id} for p in world.sip_peers.values()],
        "applications": [app_json(a) for a in world.applications.values()],
        "phone_numbers": [{**to_dict(n), "id": n.number_id} for n in world.phone_numbers.values()],
        "messages": [{**to_dict(m), "id": m.message_id} for m in world.messages.values()],
        "messages_v2": [{**to_dict(m), "id": m.message_id} for m in world.messages_v2.values()],
        "undeliverable": dict(world.undeliverable),
        "unimportable": dict(world.unimportable),
        "failing": dict(world.failing),
        "exception": sorted(world.exception),
    }


def get_state(ctx: ControlContext, request: Request) -> Response:
    with ctx.store.read() as world:
        data = state_json(world)
    return json_response(data)


def post_reset(ctx: ControlContext, request: Request) -> Response:
    ctx.store.reset()
    ctx.delivery.clear()
    ctx.stats.clear()
    ctx.faults.configure(FaultPlan())
    ctx.budgets.configure({})
    ctx.tokens.reset()
    return json_response({"reset": True})


@faults_as(_render)
def post_faults(ctx: ControlContext, request: Request) -> Response:
    try:
        plan = FaultPlan.from_json(_json(request))
    except (TypeError, ValueError) as exc:
        raise _bad(str(exc)) from None
    ctx.faults.configure(plan)
    return json_response(vars(plan))


@faults_as(_render)
def post_progression(ctx: ControlContext, request: Request) -> Response:
    """How orders placed from now on progress (orders already placed keep theirs)."""
    try:
        progression = Progression.from_json(_json(request))
    except (TypeError, ValueError) as exc:
        raise _bad(str(exc)) from None
    ctx.store.progression = progression
    return json_response(vars(progression))


def post_settle(ctx: ControlContext, request: Request) -> Response:
    """Every pending order takes all its steps now (see :func:`.dashboard.orders.settle`)."""
    with ctx.store.write() as world:
        settled = orders.settle(world, now())
    return json_response({"settled": settled})


@faults_as(_render)
def post_limits(ctx: ControlContext, request: Request) -> Response:
    data = _json(request)
    try:
        ctx.budgets.configure(data)
    except (TypeError, ValueError) as exc:
        raise _bad(str(exc)) from None
    return json_response(ctx.budgets.config)


def _codes(value: Any, default: int) -> dict[str, int]:
    """``{tn: code}``, or a list of TNs (each gets ``default``); ``null`` code -> default."""
    if value is None:
        return {}
    items = value.items() if isinstance(value, dict) else ((tn, None) for tn in value)
    out: dict[str, int] = {}
    for tn, code in items:
        tn = str(tn)
        if len(tn) != _NANPA_DIGITS or not tn.isdigit():
            raise ValueError(f"{tn!r} is not a 10-digit number")
        out[tn] = default if code is None else int(code)
    return out


def _undeliverable(value: Any) -> dict[str, int]:
    """``{e164: errorCode}`` or a list of E.164 numbers (each gets the default code)."""
    if value is None:
        return {}
    items = value.items() if isinstance(value, dict) else ((tn, None) for tn in value)
    out: dict[str, int] = {}
    for tn, code in items:
        if not (isinstance(tn, str) and tn.startswith("+") and tn[1:].isdigit()):
            raise ValueError(f"{tn!r} is not an E.164 number")
        out[tn] = DEFAULT_FAILURE_CODE if code is None else int(code)
    return out


@faults_as(_render)
def post_numbers(ctx: ControlContext, request: Request) -> Response:
    data = _json(request)
    try:
        unimportable = _codes(data.get("unimportable"), DEFAULT_UNIMPORTABLE_CODE)
        failing = _codes(data.get("failing"), DEFAULT_FAILING_CODE)
        exception = list(_codes(data.get("exception"), 0))
        in_service = list(_codes(data.get("in_service"), 0))
        undeliverable = _undeliverable(data.get("undeliverable"))
    except (TypeError, ValueError, AttributeError) as exc:
        raise _bad(str(exc)) from None
    with ctx.store.write() as world:
        world.unimportable.update(unimportable)
        world.failing.update(failing)
        world.exception.update(exception)
        world.undeliverable.update(undeliverable)
        moment = now()
        for tn in in_service:
            world.in_service.setdefault(tn, moment)
        summary = {
            "unimportable": dict(world.unimportable),
            "failing": dict(world.failing),
            "exception": sorted(world.exception),
            "in_service": sorted(world.in_service),
            "undeliverable": dict(world.undeliverable),
        }
    return json_response(summary)


def get_callbacks(ctx: ControlContext, request: Request) -> Response:
    return json_response(ctx.delivery.records())


@faults_as(_render)
def post_inbound(ctx: ControlContext, request: Request) -> Response:
    data = _json(request)
    sender, to, text = data.get("from"), data.get("to"), data.get("text", "")
    if not isinstance(sender, str) or not isinstance(to, str):
        raise _bad('"from" and "to" (E.164) are required')
    # A number in a Location whose messaging application has an inbound URL receives as the
    # current platform does (a JSON webhook); otherwise as Catapult v1 (its phoneNumbers).
    webhook = ctx.messaging.receive(sender, to, str(text))
    if webhook is not None:
        payload = {"message_id": webhook.message_id, "url": webhook.url, "method": "POST"}
        return json_response({**payload, "platform": "v2"}, 201)
    sms = ctx.catapult.receive_sms(sender, to, str(text))
    payload = {"message_id": sms.event["messageId"], "url": sms.url, "method": sms.method}
    return json_response({**payload, "platform": "v1"}, 201)


@faults_as(_render)
def post_oauth(ctx: ControlContext, request: Request) -> Response:
    """``{"token_seconds": N}`` sets the lifetime of tokens issued from now on;
    ``{"expire": true}`` makes every issued token invalid now."""
    data = _json(request)
    if "token_seconds" in data:
        try:
            ctx.tokens.configure(float(data["token_seconds"]))
        except (TypeError, ValueError) as exc:
            raise _bad(str(exc)) from None
    expired = ctx.tokens.expire_all() if data.get("expire") else 0
    return json_response({"token_seconds": ctx.tokens.seconds, "expired": expired})


def get_stats(ctx: ControlContext, request: Request) -> Response:
    return json_response(ctx.stats.snapshot())
