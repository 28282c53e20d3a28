"""The import and removal workflows behind ImportTnOrder: resume, check, order, poll, confirm.

Dynamic providers cannot report partial state (pulumi-dynamic-providers.md 1.11): a create that
raises records nothing. So every workflow here is idempotent by the customer order id (an earlier
order for the same numbers is found and resumed, never duplicated) and compensating (numbers a
failed order did import are removed again before raising). Nothing is left imported that the
state does not know of.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from .._wait import wait_for_status
from ..clients.dashboard import DashboardClient, ImportOrder, ImportOrderRequest, RemoveOrder
from ..errors import ErrorDetail, OrderError, ServerError, TransportError
from ._provider import IN_SERVICE, log

__all__ = [
    "ALREADY_ABSENT_CODE",
    "ImportOutcome",
    "confirm_in_service",
    "import_numbers",
    "remove_numbers",
]

PENDING = frozenset({"RECEIVED", "PROCESSING"})
TERMINAL = frozenset({"COMPLETE", "PARTIAL", "FAILED", "EXCEPTION"})
REMOVAL_PENDING = frozenset({"RECEIVED", "PROCESSING"})
REMOVAL_TERMINAL = frozenset({"COMPLETE", "PARTIAL", "FAILED"})
#: "Telephone number hasn't been previously imported." = already absent (bandwidth-api.md 5).
ALREADY_ABSENT_CODE = "5158"
#: How many recent orders with our customer order id are inspected when resuming.
RESUME_CANDIDATES = 5
#: Grace for in-service (or out-of-service) state to catch up with a finished order.
PROPAGATION_SECONDS = 30.0


@dataclass
class ImportOutcome:
    """A finished import: what is in service now and which numbers failed (with codes)."""

    order: ImportOrder
    imported: list[str]
    failed: list[ErrorDetail] = field(default_factory=list)


def _failed_by_number(order: ImportOrder) -> list[ErrorDetail]:
    return [
        ErrorDetail(e.code, e.description, (tn,))
        for e in order.errors
        for tn in e.telephone_numbers
    ]


def confirm_in_service(
    client: DashboardClient, tns: Iterable[str], *, expect: bool = True
) -> tuple[list[str], list[str]]:
    """Per-number lookups (never paging the account), re-checked briefly for propagation."""
    deadline = time.monotonic() + PROPAGATION_SECONDS
    pending = sorted(set(tns))
    confirmed: list[str] = []
    delay = 0.2
    while True:
        answers = IN_SERVICE.lookup_many(client, pending, fresh=True)
        confirmed += [tn for tn in pending if answers[tn] == expect]
        pending = [tn for tn in pending if answers[tn] != expect]
        if not pending or time.monotonic() >= deadline:
            return sorted(confirmed), pending
        time.sleep(delay)
        delay = min(delay * 2, 5.0)


def _resumable(
    client: DashboardClient, coid: str, numbers: Collection[str], allow_partial: bool
) -> ImportOrder | None:
    """The newest earlier order for exactly these numbers that is pending or still holds them."""
    wanted = set(numbers)
    summaries = sorted(
        client.list_import_orders(customer_order_id=coid),
        key=lambda s: s.order_date or "",
        reverse=True,
    )
    for summary in summaries[:RESUME_CANDIDATES]:
        if summary.status not in PENDING | {"COMPLETE", "PARTIAL"}:
            continue
        order = client.get_import_order(summary.order_id)
        if set(order.telephone_numbers) != wanted:
            continue
        if order.status in PENDING:
            log(f"resuming import order {order.order_id} ({order.status}) for {coid!r}")
            return order
        held = order.succeeded_numbers
        answers = IN_SERVICE.lookup_many(client, held, fresh=True)  # decides what we own
        if order.status == "PARTIAL" and not allow_partial:
            # Refused, but it ended after our wait gave up, so nobody rolled it back yet: settle
            # it as the original create would have (remove its numbers, raise). Ordering again
            # instead would leave them behind if Bandwidth refuses to re-import a number.
            if any(answers.values()):
                log(f"earlier import order {order.order_id} ended PARTIAL; rolling it back")
                return order
            continue
        if held and all(answers.values()):
            log(f"adopting earlier {order.status} import order {order.order_id} for {coid!r}")
            return order
    return None


def _place(
    client: DashboardClient, request: ImportOrderRequest, allow_partial: bool
) -> ImportOrder:
    try:
        return client.create_import_order(request)
    except (TransportError, ServerError):
        # The POST may have been processed before the failure: look before ordering again.
        coid = request.customer_order_id or ""
        found = _resumable(client, coid, request.telephone_numbers, allow_partial)
        if found is not None:
            return found
        log("import order POST failed before Bandwidth recorded it; placing it again")
        return client.create_import_order(request)


def import_numbers(
    client: DashboardClient,
    request: ImportOrderRequest,
    *,
    check: bool,
    allow_partial: bool,
    timeout: float,
) -> ImportOutcome:
    """Import ``request.telephone_numbers``, resuming an earlier order when there is one."""
    numbers = sorted(request.telephone_numbers)
    coid = request.customer_order_id or ""
    order = _resumable(client, coid, numbers, allow_partial) if coid else None
    if order is None:
        if check:
            report = client.check_importability(numbers, request.site_id, request.sip_peer_id)
            if report.errors:
                bad = sorted({tn for e in report.errors for tn in e.telephone_numbers})
                raise OrderError(
                    f"{len(bad)} of {len(numbers)} numbers cannot be imported "
                    f"(importTnChecker); nothing was ordered. Fix or drop these numbers:",
                    details=report.errors,
                )
        order = _place(client, request, allow_partial)
        log(f"placed import order {order.order_id} for {len(numbers)} numbers ({coid!r})")
    done = wait_for_status(
        lambda: client.get_import_order(order.order_id),
        lambda o: o.status,
        pending=PENDING,
        target=TERMINAL,
        timeout=timeout,
        what=f"import order {order.order_id}",
        resume_hint=(
            f"run `pulumi up` again and it resumes this order (customer order id {coid!r}) "
            f"instead of placing a new one; raise wait_timeout for slow orders"
        ),
    ).value
    return _settle(client, done, allow_partial, timeout)


def _settle(
    client: DashboardClient, order: ImportOrder, allow_partial: bool, timeout: float
) -> ImportOutcome:
    failed = _failed_by_number(order)
    if order.status == "COMPLETE" or (order.status == "PARTIAL" and allow_partial):
        _, missing = confirm_in_service(client, order.succeeded_numbers)
        if missing:
            # Held anyway: Bandwidth says they imported, so `destroy` must remove them. Leaving
            # them out of state would orphan them if the stack is destroyed before the next `up`.
            log(
                f"order {order.order_id} is {order.status} but these numbers are not in service "
                f"yet: {', '.join(missing)}; bindings for them fail until they are"
            )
        return ImportOutcome(order, sorted(order.succeeded_numbers), failed)
    # PARTIAL (not allowed), FAILED or EXCEPTION: undo whatever did import, then report.
    to_undo = list(order.succeeded_numbers) if order.status == "PARTIAL" else []
    if order.status == "EXCEPTION":  # undocumented outcome: trust only live in-service answers
        answers = IN_SERVICE.lookup_many(client, order.telephone_numbers, fresh=True)
        to_undo = [tn for tn, held in answers.items() if held]
    undone = ""
    if to_undo:
        remove_numbers(client, to_undo, order.customer_order_id, timeout)
        undone = f" The {len(to_undo)} numbers that did import were removed again."
    hint = (
        " Set allow_partial=True to keep the numbers that succeed."
        if order.status == "PARTIAL"
        else ""
    )
    raise OrderError(
        f"import order {order.order_id} ended {order.status}.{undone}{hint}",
        order_id=order.order_id,
        status=order.status,
        details=order.errors,
    )


def remove_numbers(
    client: DashboardClient, tns: Iterable[str], customer_order_id: str | None, timeout: float
) -> RemoveOrder | None:
    """Remove numbers from the account and confirm they left service; absent ones are fine."""
    numbers = sorted(set(tns))
    if not numbers:
        return None
    try:
        order = client.create_remove_order(numbers, customer_order_id)
    except (TransportError, ServerError):
        # Removing twice is harmless (5158 = already absent), so a plain retry is safe.
        order = client.create_remove_order(numbers, customer_order_id)
    log(f"placed removal order {order.order_id} for {len(numbers)} numbers")
    done = wait_for_status(
        lambda: client.get_remove_order(order.order_id),
        lambda o: o.status,
        pending=REMOVAL_PENDING,
        target=REMOVAL_TERMINAL,
        timeout=timeout,
        what=f"removal order {order.order_id}",
        resume_hint="run the same command again; removing a number twice is harmless",
    ).value
    real = [e for e in done.errors if e.code != ALREADY_ABSENT_CODE]
    if real:
        raise OrderError(
            f"removal order {done.order_id} ended {done.status}; these numbers are still held:",
            order_id=done.order_id,
            status=done.status,
            details=real,
        )
    _, still = confirm_in_service(client, numbers, expect=False)
    if still:
        raise OrderError(
            f"removal order {done.order_id} is {done.status} but {still} are still in service",
            order_id=done.order_id,
            status=done.status,
        )
    return done
