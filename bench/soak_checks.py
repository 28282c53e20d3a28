"""What the soak counts: attempts and per-seed results, and the checks of the emulator's state."""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from bw_pulumi.emulator import Emulator

from .fault_proxy import Fault

__all__ = [
    "Attempt",
    "SeedResult",
    "check_holdings",
    "e164",
    "left_behind",
    "order_replay",
    "request_pattern",
    "settled",
]

PENDING_ORDER = frozenset({"RECEIVED", "PROCESSING"})
TERMINAL_ORDER = frozenset({"COMPLETE", "PARTIAL", "FAILED", "EXCEPTION"})


@dataclass
class Attempt:
    """One run of one step."""

    step: str
    attempt: int
    returncode: int
    seconds: float
    requests: int
    faults: list[str]
    disruptive: int
    errors: list[str]


@dataclass
class SeedResult:
    seed: int
    #: The stack the seed ran: ``catapult`` (the root project) or ``v2`` (hosted_messaging_v2).
    platform: str = "catapult"
    seconds: float = 0.0
    requests: int = 0
    faults: dict[str, int] = field(default_factory=dict)
    #: Disruptive faults per request pattern (``"POST /api/accounts/{id}/importTnOrders"``).
    faulted_requests: dict[str, int] = field(default_factory=dict)
    attempts: list[Attempt] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    stray: list[str] = field(default_factory=list)
    drift: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    redundant: list[str] = field(default_factory=list)
    #: Errors of the soak itself (a command that must not fail did, say): the seed fails.
    errors: list[str] = field(default_factory=list)
    log: str = ""

    @property
    def reruns(self) -> int:
        return sum(1 for a in self.attempts if a.attempt > 1)

    @property
    def single_fault_failures(self) -> list[Attempt]:
        """Failed attempts that at most one disruptive fault struck: each one is a bug."""
        return [a for a in self.attempts if a.returncode != 0 and a.disruptive <= 1]

    @property
    def problems(self) -> list[str]:
        found = [
            f"{a.step} attempt {a.attempt} failed with {a.disruptive} disruptive fault(s)"
            for a in self.single_fault_failures
        ]
        found += [f"{step} never succeeded" for step in self.failed_steps]
        found += [f"soak error: {error}" for error in self.errors]
        for name in ("left", "duplicates", "lost", "missing", "stray", "drift"):
            found += [f"{name}: {item}" for item in getattr(self, name)]
        return found

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(
            reruns=self.reruns,
            single_fault_failures=len(self.single_fault_failures),
            problems=self.problems,
        )
        return data


def order_replay(state: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Duplicate and redundant orders, from the emulator's orders replayed in the order they
    finished: ``(duplicates, redundant)``.

    A duplicate is an import order that imported a number another import order had already
    imported, with no removal in between (both did the work). A redundant order did nothing:
    a removal whose numbers were all gone already (5158); it is reported, not a failure.
    """
    events: list[tuple[float, str, str, str, list[str], list[str]]] = []
    for kind in ("import_orders", "remove_orders"):
        for order in state.get(kind, []):
            ended = [h["at"] for h in order.get("history", []) if h["status"] in TERMINAL_ORDER]
            if not ended:
                continue
            failed = {tn for e in order.get("errors", []) for tn in e["telephone_numbers"]}
            tns = sorted(order["telephone_numbers"])
            done = [tn for tn in tns if tn not in failed]
            events.append((min(ended), kind, order["id"], order["status"], tns, done))
    events.sort()
    held: dict[str, str] = {}
    duplicates: list[str] = []
    redundant: list[str] = []
    for _at, kind, order_id, status, tns, done in events:
        if kind == "import_orders":
            again = [tn for tn in done if tn in held]
            if again:
                earlier = sorted({held[tn] for tn in again})
                duplicates.append(
                    f"import order {order_id} ({status}) imported {', '.join(again)} already "
                    f"imported by {', '.join(earlier)}"
                )
            held.update(dict.fromkeys(done, order_id))
        else:
            if not done:
                redundant.append(
                    f"removal order {order_id} ({status}) for {', '.join(tns)}: all already gone"
                )
            for tn in done:
                held.pop(tn, None)
    return duplicates, redundant


def settled(emu: Emulator, limit: float) -> dict[str, Any]:
    """The emulator's state once no order is pending (or after ``limit`` seconds)."""
    deadline = time.monotonic() + limit
    delay = 0.05
    while True:
        state: dict[str, Any] = emu.control.state()
        orders = state["import_orders"] + state["remove_orders"]
        if not any(o["status"] in PENDING_ORDER for o in orders) or time.monotonic() > deadline:
            return state
        time.sleep(delay)
        delay = min(delay * 2, 0.5)


def e164(tn: str) -> str:
    return "+1" + tn


def check_holdings(
    state: dict[str, Any], outputs: dict[str, Any], wanted: set[str], step: str
) -> tuple[list[str], list[str], list[str]]:
    """``(lost, missing, stray)`` after a successful step: every wanted number in service and
    bound to the stack's application; the stack's objects on the emulator; nothing else there."""
    app_id = outputs.get("application_id")
    sub_id = outputs.get("subscription_id")
    in_service = set(state["in_service"])
    bound = {n["number"]: n for n in state["phone_numbers"]}
    lost = [
        f"after {step}: {tn} "
        + ("not in service" if tn not in in_service else f"not bound to application {app_id}")
        for tn in sorted(wanted)
        if tn not in in_service or bound.get(e164(tn), {}).get("application_id") != app_id
    ]
    missing: list[str] = []
    sub_ids = {s["id"] for s in state["subscriptions"]}
    app_ids = {a["id"] for a in state["applications"]}
    if sub_id not in sub_ids:
        missing.append(f"after {step}: subscription {sub_id} of the stack is not on the emulator")
    if app_id not in app_ids:
        missing.append(f"after {step}: application {app_id} of the stack is not on the emulator")
    held = set(outputs.get("imported_numbers") or ())
    if held != wanted:
        missing.append(
            f"after {step}: the stack holds {sorted(held)}, config wants {sorted(wanted)}"
        )
    ids = outputs.get("number_ids") or {}
    known = {n["id"] for n in state["phone_numbers"]}
    if len(ids) != len(wanted) or not set(ids.values()) <= known:
        missing.append(f"after {step}: binding ids in state {sorted(ids.values())} vs emulator")
    stray = [f"after {step}: subscription {s}" for s in sorted(sub_ids - {sub_id})]
    stray += [f"after {step}: application {a}" for a in sorted(app_ids - {app_id})]
    stray += [
        f"after {step}: binding of {n['number']} to {n['application_id']}"
        for n in state["phone_numbers"]
        if n["number"] not in {e164(tn) for tn in wanted}
    ]
    stray += [f"after {step}: {tn} in service" for tn in sorted(in_service - wanted)]
    return lost, missing, stray


def left_behind(state: dict[str, Any]) -> list[str]:
    """Every object on the emulator after ``destroy``, on both platforms (the emulator's own
    Site is there from the start and stays)."""
    left = [f"subscription {s['id']}" for s in state["subscriptions"]]
    left += [f"application {a['id']}" for a in state["applications"]]
    left += [f"binding {n['id']} of {n['number']}" for n in state["phone_numbers"]]
    left += [f"{tn} in service" for tn in state["in_service"]]
    left += [
        f"Messaging-V2 application {a['id']} ({a['app_name']})"
        for a in state.get("dashboard_applications", [])
    ]
    left += [f"Location {p['id']} ({p['name']})" for p in state.get("sip_peers", [])]
    left += [
        f"{tn} in Location {peer}"
        for tn, peer in sorted((state.get("in_service_peers") or {}).items())
    ]
    return left


_MASKS = (
    (re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}"), "{uuid}"),
    (re.compile(r"/(?:u-|a-|n-)[a-z0-9]+"), "/{id}"),
    (re.compile(r"/(?:%2B|\+)?1?\d{10}\b"), "/{tn}"),
    (re.compile(r"/accounts/\d+"), "/accounts/{id}"),
    (re.compile(r"/sippeers/\d+"), "/sippeers/{id}"),
)


def request_pattern(fault: Fault) -> str:
    """The request a fault struck, ids and numbers masked: what the coverage table counts."""
    path = fault.path
    for pattern, mask in _MASKS:
        path = pattern.sub(mask, path)
    return f"{fault.method} {path}"
