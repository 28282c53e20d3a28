"""Order life cycles: declared steps, outcomes per number, history and notifications.

Functions here run with the store lock held and never do I/O; they queue :class:`Notify` items
in ``world.outbox`` for the delivery thread. When each step is taken is :mod:`.clock`'s business
(style habit 2c: status is declared, progression chosen per use).
"""

from __future__ import annotations

import copy

from bw_pulumi.emulator import clock
from bw_pulumi.emulator.clock import Progression
from bw_pulumi.emulator.dashboard.models import (
    COMPLETE,
    EXCEPTION,
    EXTERNAL,
    FAILED,
    IMPORT,
    NOTIFIED_STATUSES,
    ORDER_TYPE_OF_KIND,
    PARTIAL,
    PROCESSING,
    RECEIVED,
    REMOVE,
    HistoryEntry,
    Notify,
    Order,
    OrderError,
    describe,
)
from bw_pulumi.emulator.models import World

__all__ = ["STATUS_MESSAGES", "advance", "create", "read", "settle"]

_RESOLVE = "RESOLVE"  # marker for the terminal step: its status depends on the numbers

#: History notes; the received/failed wording is captured (API doc 4.4), the rest follow it.
_NOTES = {
    IMPORT: "Import TN order",
    REMOVE: "Remove imported TN order",
    EXTERNAL: "External TNs order",
}
_NOTE_SUFFIX = {
    RECEIVED: "has been received by the system.",
    PROCESSING: "is processing.",
    COMPLETE: "has completed.",
    PARTIAL: "is partial.",
    FAILED: "has failed.",
}

#: Notification ``Message`` texts: the OrderStatus messages listed in ERR (API doc 1.5). That
#: they become the ``Message`` is "probably" (1.5), and their import wording is reused for removal
#: and externalTns orders, for which no source gives any: both unverified.
STATUS_MESSAGES = {
    RECEIVED: "Order request received. Please use the order id to check the status of your order "
    "later.",
    PROCESSING: "Order processing has started.",
    COMPLETE: "Import successful.",
    PARTIAL: "Import partially succeeded. Please check error list in the response for further "
    "details.",
    FAILED: "Import failed. Please check error list in the response for further details.",
}


def create(world: World, order: Order, progression: Progression) -> Order:
    """Register a new order, schedule its steps; return it as the 201 shows it.

    Import and externalTns orders start RECEIVED (the SPEC text; examples show PROCESSING, and
    clients accept either: API doc 13). Removal orders start PROCESSING, as the SPEC says a
    submitted removal does (API doc 5), which is also a notified removal status.
    """
    if order.kind == REMOVE:
        order.status, steps = PROCESSING, [_RESOLVE]
    else:
        order.status, steps = RECEIVED, [PROCESSING, _RESOLVE]
    clock.schedule(order, steps, progression)
    world.orders[order.order_id] = order
    _record(world, order, order.status, order.created)
    shown = copy.deepcopy(order)
    if progression.immediate_settle:
        # Immediate progression: the 201 still shows the first status, the next GET the end.
        while order.pending:
            _, step = order.pending.pop(0)
            _step(world, order, step, order.created)
    return shown


def advance(world: World, moment: float) -> float | None:
    """Apply every step due by ``moment``; return the next due time, if any."""
    next_due: float | None = None
    for order in list(world.orders.values()):
        while clock.due(order, moment):
            at, step = order.pending.pop(0)
            _step(world, order, step, max(at, order.last_modified))
        if order.pending and not order.reads_per_step:
            at = order.pending[0][0]
            next_due = at if next_due is None else min(next_due, at)
    return next_due


def settle(world: World, moment: float) -> list[str]:
    """Take every pending step of every order now, whatever its progression; return their ids.

    The test's hand on the clock (``POST /_emulator/settle``): an order placed under a long
    timed progression stays pending for as long as a test needs, then ends on request.
    """
    settled = []
    for order in list(world.orders.values()):
        if order.pending:
            settled.append(order.order_id)
        while order.pending:
            _, step = order.pending.pop(0)
            _step(world, order, step, max(moment, order.last_modified))
    return settled


def read(world: World, order: Order, moment: float) -> None:
    """One read of ``order``: with the ``reads`` progression, it may take the next step."""
    if clock.read(order):
        _, step = order.pending.pop(0)
        _step(world, order, step, max(moment, order.last_modified))


def _step(world: World, order: Order, step: str, at: float) -> None:
    if step == _RESOLVE:
        held_back = _resolve(world, order)
        status = EXCEPTION if held_back else _outcome(order)
    else:
        status = step
    order.status = status
    order.last_modified = at
    _record(world, order, status, at)


def _resolve(world: World, order: Order) -> bool:
    """Decide each number's fate and move numbers in or out of service.

    True when a number scripted as ``exception`` held the import order back. Inferred (API doc
    4.3, 8, 12 and 15 give the status, not its meaning): such an order ends EXCEPTION, listing
    no error for those numbers and leaving them out of service, while its other numbers are
    imported or fail as usual, so a client cannot tell from the order what is in service.
    """
    failures: dict[int, list[str]] = {}
    removing = order.kind == REMOVE or (order.kind == EXTERNAL and order.action == "REMOVE")
    held_back = False
    for tn in order.telephone_numbers:
        if order.kind == IMPORT and tn in world.exception:
            held_back = True
            continue
        code = _removal_failure(world, tn) if removing else _import_failure(world, tn)
        if code is not None:
            failures.setdefault(code, []).append(tn)
            continue
        if removing:
            world.in_service.pop(tn, None)
            world.in_service_sites.pop(tn, None)
            world.in_service_peers.pop(tn, None)
        else:
            # Importing a number already in service is not an error: like externalTns IMPORT
            # ("importing a TN already on the account ... resets all its attributes", API doc 7),
            # the number simply stays in service. No source says what importTnOrders does.
            world.in_service[tn] = order.last_modified
            if order.site_id:
                world.in_service_sites[tn] = order.site_id
            peer = _peer_of(world, order)
            if peer is not None:
                world.in_service_peers[tn] = peer
    order.errors = [
        OrderError(code=code, description=describe(code), telephone_numbers=tns)
        for code, tns in failures.items()
    ]
    return held_back


def _peer_of(world: World, order: Order) -> str | None:
    """The SIP peer the numbers land in: the order's, else the site's default peer (v2 doc 3
    step 2; API doc 3: an omitted SipPeerId means the site's default)."""
    if order.sip_peer_id:
        return order.sip_peer_id
    defaults = [
        p.peer_id for p in world.sip_peers.values() if p.site_id == order.site_id and p.is_default
    ]
    return defaults[0] if defaults else None


def _import_failure(world: World, tn: str) -> int | None:
    if tn in world.unimportable:
        return world.unimportable[tn]
    return world.failing.get(tn)


def _removal_failure(world: World, tn: str) -> int | None:
    # A number that is not in service (never imported, or already removed) fails with 5158
    # (captured, API doc 5). Numbers put in service through the control API count as imported.
    return None if tn in world.in_service else 5158


def _outcome(order: Order) -> str:
    failed = {tn for error in order.errors for tn in error.telephone_numbers}
    if not failed:
        return COMPLETE
    if failed >= set(order.telephone_numbers):
        return FAILED
    return PARTIAL


def _record(world: World, order: Order, status: str, at: float) -> None:
    note = f"{_NOTES[order.kind]} {_NOTE_SUFFIX.get(status, 'is ' + status.lower() + '.')}"
    order.history.append(HistoryEntry(at=at, status=status, note=note, author=order.created_by))
    if status not in NOTIFIED_STATUSES[order.kind]:
        return
    order_type = ORDER_TYPE_OF_KIND[order.kind]
    for sub in world.subscriptions.values():
        if sub.order_type != order_type or not sub.url:
            continue
        if sub.order_id and sub.order_id != order.order_id:
            continue
        if sub.expires_at is not None and sub.expires_at <= at:
            continue
        world.outbox.append(
            Notify(
                subscription_id=sub.subscription_id,
                url=sub.url,
                username=sub.username,
                password=sub.password,
                order_type=order_type,
                order_id=order.order_id,
                customer_order_id=order.customer_order_id,
                status=status,
                last_modified=at,
            )
        )
