"""The ``/_emulator/`` control API (JSON, no auth, loopback only) and its HTTP client.

Tests and users script the emulator through it (design.md "Emulator contract"); everything a
person could do in the Bandwidth portal goes through the real API routes instead.
"""

from __future__ import annotations

import json
from typing import Any

import requests
from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from bw_pulumi.emulator import catapult, catapult_messages
from bw_pulumi.emulator.models import (
    DEFAULT_FAILING_CODE,
    DEFAULT_UNIMPORTABLE_CODE,
    EXTERNAL,
    IMPORT,
    REMOVE,
    now,
    to_dict,
)
from bw_pulumi.emulator.state import World
from bw_pulumi.emulator.traffic import Budgets, FaultPlan, Faults, Stats
from bw_pulumi.emulator.wire import Context, json_response

__all__ = ["HANDLERS", "RULES", "ControlClient", "ControlContext", "state_json"]

_NANPA_DIGITS = 10


class ControlContext(Context):
    """The handler context plus the traffic shapers the control API configures."""

    def __init__(self, base: Context, faults: Faults, budgets: Budgets, stats: Stats) -> None:
        super().__init__(base.store, base.delivery)
        self.faults = faults
        self.budgets = budgets
        self.stats = stats


def _bad(message: str) -> Response:
    return json_response({"error": message}, 400)


def _json(request: Request) -> dict[str, Any] | Response:
    try:
        data = json.loads(request.get_data() or b"{}")
    except ValueError:
        return _bad("body is not JSON")
    return data if isinstance(data, dict) else _bad("body must be a JSON object")


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
        "applications": [catapult.app_json(a) for a in world.applications.values()],
        "phone_numbers": [{**to_dict(n), "id": n.number_id} for n in world.phone_numbers.values()],
        "messages": [{**to_dict(m), "id": m.message_id} for m in world.messages.values()],
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
    return json_response({"reset": True})


def post_faults(ctx: ControlContext, request: Request) -> Response:
    data = _json(request)
    if isinstance(data, Response):
        return data
    try:
        plan = FaultPlan.from_json(data)
    except (TypeError, ValueError) as exc:
        return _bad(str(exc))
    ctx.faults.configure(plan)
    return json_response(vars(plan))


def post_limits(ctx: ControlContext, request: Request) -> Response:
    data = _json(request)
    if isinstance(data, Response):
        return data
    try:
        ctx.budgets.configure(data)
    except (TypeError, ValueError) as exc:
        return _bad(str(exc))
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


def post_numbers(ctx: ControlContext, request: Request) -> Response:
    data = _json(request)
    if isinstance(data, Response):
        return data
    try:
        unimportable = _codes(data.get("unimportable"), DEFAULT_UNIMPORTABLE_CODE)
        failing = _codes(data.get("failing"), DEFAULT_FAILING_CODE)
        exception = list(_codes(data.get("exception"), 0))
        in_service = list(_codes(data.get("in_service"), 0))
    except (TypeError, ValueError, AttributeError) as exc:
        return _bad(str(exc))
    with ctx.store.write() as world:
        world.unimportable.update(unimportable)
        world.failing.update(failing)
        world.exception.update(exception)
        moment = now()
        for tn in in_service:
            world.in_service.setdefault(tn, moment)
        summary = {
            "unimportable": dict(world.unimportable),
            "failing": dict(world.failing),
            "exception": sorted(world.exception),
            "in_service": sorted(world.in_service),
        }
    return json_response(summary)


def get_callbacks(ctx: ControlContext, request: Request) -> Response:
    return json_response(ctx.delivery.records())


def post_inbound(ctx: ControlContext, request: Request) -> Response:
    data = _json(request)
    if isinstance(data, Response):
        return data
    sender, to, text = data.get("from"), data.get("to"), data.get("text", "")
    if not isinstance(sender, str) or not isinstance(to, str):
        return _bad('"from" and "to" (E.164) are required')
    status, payload = catapult_messages.inbound(ctx, sender, to, str(text))
    return json_response(payload, status)


def get_stats(ctx: ControlContext, request: Request) -> Response:
    return json_response(ctx.stats.snapshot())


_C = "/_emulator"
RULES = [
    Rule(f"{_C}/state", endpoint="control.state", methods=["GET"]),
    Rule(f"{_C}/reset", endpoint="control.reset", methods=["POST"]),
    Rule(f"{_C}/faults", endpoint="control.faults", methods=["POST"]),
    Rule(f"{_C}/limits", endpoint="control.limits", methods=["POST"]),
    Rule(f"{_C}/numbers", endpoint="control.numbers", methods=["POST"]),
    Rule(f"{_C}/callbacks", endpoint="control.callbacks", methods=["GET"]),
    Rule(f"{_C}/inbound", endpoint="control.inbound", methods=["POST"]),
    Rule(f"{_C}/stats", endpoint="control.stats", methods=["GET"]),
]

HANDLERS: dict[str, Any] = {
    "control.state": get_state,
    "control.reset": post_reset,
    "control.faults": post_faults,
    "control.limits": post_limits,
    "control.numbers": post_numbers,
    "control.callbacks": get_callbacks,
    "control.inbound": post_inbound,
    "control.stats": get_stats,
}


class ControlClient:
    """Scripts a running emulator over HTTP (``emu.control`` in tests)."""

    def __init__(self, base_url: str, *, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/") + "/_emulator"
        self._timeout = timeout
        self._session = requests.Session()

    def _call(self, method: str, name: str, body: dict[str, Any] | None = None) -> Any:
        response = self._session.request(
            method, f"{self.base_url}/{name}", json=body, timeout=self._timeout
        )
        response.raise_for_status()
        return response.json()

    def state(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "state")
        return result

    def reset(self) -> None:
        self._call("POST", "reset", {})

    def faults(self, **plan: Any) -> dict[str, Any]:
        result: dict[str, Any] = self._call("POST", "faults", plan)
        return result

    def limits(self, **budgets: Any) -> dict[str, Any]:
        result: dict[str, Any] = self._call("POST", "limits", budgets)
        return result

    def numbers(
        self,
        unimportable: dict[str, int] | None = None,
        failing: dict[str, int] | None = None,
        in_service: list[str] | None = None,
        exception: list[str] | None = None,
    ) -> dict[str, Any]:
        body = {
            "unimportable": unimportable,
            "failing": failing,
            "in_service": in_service,
            "exception": exception,
        }
        result: dict[str, Any] = self._call("POST", "numbers", body)
        return result

    def callbacks(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._call("GET", "callbacks")
        return result

    def inbound(self, from_: str, to: str, text: str) -> dict[str, Any]:
        result: dict[str, Any] = self._call(
            "POST", "inbound", {"from": from_, "to": to, "text": text}
        )
        return result

    def stats(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "stats")
        return result

    def close(self) -> None:
        self._session.close()
