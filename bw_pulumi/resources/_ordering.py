"""The import and removal workflows behind ImportTnOrder: resume, check, order, poll, confirm.

Dynamic providers cannot report partial state (pulumi-dynamic-providers.md 1.11): a create that
raises records nothing. So every workflow here is idempotent by the customer order id (an earlier
order for the same numbers is found and resumed, never duplicated) and compensating (numbers a
failed order did import are removed again before raising). Nothing is left imported that the
state does not know of.

Orders can take minutes, so each one reports on stderr (pulumi-dynamic-providers.md 1.12): a
line when placed or resumed, one about every ``PROGRESS_INTERVAL`` while pending, one at the end;
bulk in-service lookups over many numbers report counts the same way (``_service_checks``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from .._progress import say as log
from .._wait import WaitProgress, format_seconds, wait_for_status
from ..clients.dashboard import (
    DashboardClient,
    ImportOrder,
    ImportOrderRequest,
    OrderSummary,
    RemoveOrder,
)
from ..errors import ErrorDetail, OrderError
from ._create_retry import create_or_resume
from ._service_checks import check_in_service, confirm_in_service

__all__ = [
    "ALREADY_ABSENT_CODE",
    "ImportOutcome",
    "check_in_service",
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
#: What the user can do after an import order's failed end, beyond Bandwidth's error codes.
#: EXCEPTION comes with no documented meaning or error list (bandwidth-api.md 4.3, 12, 15).
_FAILED_END_HINTS = {
    "PARTIAL": " Set allow_partial=True to keep the numbers that succeed.",
    "EXCEPTION": " Bandwidth documents no cause for EXCEPTION: ask Bandwidth support what held"
    " order {order_id} back, then run `pulumi up` again (it places a new order).",
}


@dataclass
class ImportOutcome:
    """A finished import: what is in service now and which numbers failed (with codes)."""

    order: ImportOrder
    imported: list[str]
    failed: list[ErrorDetail] = field(default_factory=list)


class _OrderProgress:
    """The lines for one order being polled: about every PROGRESS_INTERVAL, then the end.

    Bandwidth's order GET counts no numbers done while pending; it may list failures early, so
    those are reported when there are any.
    """

    def __init__(self, what: str, total: int, timeout: float) -> None:
        self.what = what
        self.total = total
        self.timeout = timeout

    def __call__(self, report: WaitProgress[Any]) -> None:
        took = format_seconds(report.elapsed)
        if report.done:
            absent = _only_absent(report.value)
            log(f"{self.what} ended {report.status} after {took}{absent}")
            return
        failed = len(report.value.failed_numbers) if report.value is not None else 0
        so_far = f"; {failed} of {self.total} numbers failed so far" if failed else ""
        log(
            f"{self.what} is still {report.status} after {took} "
            f"(wait_timeout {self.timeout:g} s){so_far}"
        )


def _only_absent(order: object) -> str:
    """A removal whose only errors are 5158 did its job: say so beside a FAILED or PARTIAL."""
    if not isinstance(order, RemoveOrder):
        return ""
    if order.errors and not _real_errors(order):
        return f" (Bandwidth code {ALREADY_ABSENT_CODE}: the numbers were already removed)"
    return ""


def _placed(kind: str, order_id: str, coid: str | None, count: int) -> None:
    log(f"placed {kind} order {order_id} (customer order id {coid!r}) for {_numbers(count)}")


def _found(how: str, kind: str, order: ImportOrder | RemoveOrder, coid: str | None) -> None:
    """The line for an earlier order used instead of placing one (same facts as a placement)."""
    count = len(order.telephone_numbers)
    log(
        f"{how} {kind} order {order.order_id} ({order.status}, customer order id {coid!r}) "
        f"for {_numbers(count)}"
    )


def _numbers(count: int) -> str:
    return "1 number" if count == 1 else f"{count} numbers"


def _failed_by_number(order: ImportOrder) -> list[ErrorDetail]:
    return [
        ErrorDetail(e.code, e.description, (tn,))
        for e in order.errors
        for tn in e.telephone_numbers
    ]


def _newest(summaries: Iterable[OrderSummary]) -> list[OrderSummary]:
    """The most recent :data:`RESUME_CANDIDATES` order summaries, newest first."""
    ordered = sorted(summaries, key=lambda s: s.order_date or "", reverse=True)
    return ordered[:RESUME_CANDIDATES]


def _resumable(
    client: DashboardClient, coid: str, numbers: Collection[str], allow_partial: bool
) -> ImportOrder | None:
    """The newest earlier order for exactly these numbers that is pending or still holds them."""
    wanted = set(numbers)
    for summary in _newest(client.list_import_orders(customer_order_id=coid)):
        if summary.status not in PENDING | {"COMPLETE", "PARTIAL"}:
            continue
        order = client.get_import_order(summary.order_id)
        if set(order.telephone_numbers) != wanted:
            continue
        if order.status in PENDING:
            _found("resuming", "import", order, coid)
            return order
        held = order.succeeded_numbers
        # Decides what we own.
        answers = check_in_service(client, held, f"import order {order.order_id}", fresh=True)
        if order.status == "PARTIAL" and not allow_partial:
            # Refused, but it ended after our wait gave up, so nobody rolled it back yet: settle
            # it as the original create would have (remove its numbers, raise). Ordering again
            # instead would leave them behind if Bandwidth refuses to re-import a number.
            if any(answers.values()):
                log(f"earlier import order {order.order_id} ended PARTIAL; rolling it back")
                return order
            continue
        if held and all(answers.values()):
            _found("adopting earlier", "import", order, coid)
            return order
    return None


def _place(
    client: DashboardClient, request: ImportOrderRequest, allow_partial: bool
) -> ImportOrder:
    coid = request.customer_order_id or ""

    # The POST may have been processed before a failure: look (by customer order id) before
    # every new attempt, as every other create does.
    def post() -> ImportOrder:
        order = client.create_import_order(request)
        _placed("import", order.order_id, coid, len(request.telephone_numbers))
        return order

    return create_or_resume(
        post,
        lambda: _resumable(client, coid, request.telephone_numbers, allow_partial),
        f"import order {coid!r}",
        label=lambda o: o.order_id,
    )


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
    what = f"import order {order.order_id}"
    done: ImportOrder = wait_for_status(
        lambda: client.get_import_order(order.order_id),
        lambda o: o.status,
        pending=PENDING,
        target=TERMINAL,
        timeout=timeout,
        what=what,
        resume_hint=(
            f"run `pulumi up` again and it resumes this order (customer order id {coid!r}) "
            f"instead of placing a new one"
        ),
        progress=_OrderProgress(what, len(numbers), timeout),
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
        what = f"import order {order.order_id}"
        answers = check_in_service(client, order.telephone_numbers, what, fresh=True)
        to_undo = [tn for tn, held in answers.items() if held]
    undone = ""
    if to_undo:
        remove_numbers(client, to_undo, order.customer_order_id, timeout)
        undone = f" The {len(to_undo)} numbers that did import were removed again."
    hint = _FAILED_END_HINTS.get(order.status, "").format(order_id=order.order_id)
    raise OrderError(
        f"import order {order.order_id} ended {order.status}.{undone}{hint}",
        order_id=order.order_id,
        status=order.status,
        details=order.errors,
    )


def _real_errors(order: RemoveOrder) -> list[ErrorDetail]:
    """The removal errors that matter: 5158 only says the number was already absent."""
    return [e for e in order.errors if e.code != ALREADY_ABSENT_CODE]


def _resumable_removal(
    client: DashboardClient, coid: str | None, numbers: list[str]
) -> RemoveOrder | None:
    """The removal order a failed POST may have placed: found by customer order id (by number
    when there is none), for exactly these numbers.

    A pending one is resumed. A finished one only if it did the job (no error but 5158, none of
    the numbers in service now): an older removal of the same numbers, imported again since,
    must not pass for this one.
    """
    wanted = set(numbers)
    if coid:
        summaries = client.list_remove_orders(customer_order_id=coid)
    else:
        summaries = client.list_remove_orders(tn=numbers[0])
    out_of_service: bool | None = None  # every candidate holds the same numbers: look once
    for summary in _newest(summaries):
        order = client.get_remove_order(summary.order_id)
        if set(order.telephone_numbers) != wanted:
            continue
        if order.status in REMOVAL_PENDING:
            _found("resuming", "removal", order, coid)
            return order
        if _real_errors(order):
            continue
        if out_of_service is None:
            answers = check_in_service(client, numbers, "earlier removal order", fresh=True)
            out_of_service = not any(answers.values())
        if out_of_service:
            _found("taking over finished", "removal", order, coid)
            return order
    return None


def _place_removal(client: DashboardClient, numbers: list[str], coid: str | None) -> RemoveOrder:
    # The POST may have been processed before a failure (a lost answer): look first, as for
    # imports. Placing again would work (5158) but leaves a duplicate order behind.
    def post() -> RemoveOrder:
        order = client.create_remove_order(numbers, coid)
        _placed("removal", order.order_id, coid, len(numbers))
        return order

    return create_or_resume(
        post,
        lambda: _resumable_removal(client, coid, numbers),
        f"removal order {coid!r}",
        label=lambda o: o.order_id,
    )


def remove_numbers(
    client: DashboardClient, tns: Iterable[str], customer_order_id: str | None, timeout: float
) -> RemoveOrder | None:
    """Remove numbers from the account and confirm they left service; absent ones are fine."""
    numbers = sorted(set(tns))
    if not numbers:
        return None
    # Look first, as imports do: a destroy interrupted after its POST must wait for that order,
    # not place a second one that ends FAILED (5158, already absent) beside it.
    found = _resumable_removal(client, customer_order_id, numbers) if customer_order_id else None
    order = found or _place_removal(client, numbers, customer_order_id)
    what = f"removal order {order.order_id}"
    done: RemoveOrder = wait_for_status(
        lambda: client.get_remove_order(order.order_id),
        lambda o: o.status,
        pending=REMOVAL_PENDING,
        target=REMOVAL_TERMINAL,
        timeout=timeout,
        what=what,
        resume_hint="run the same command again; removing a number twice is harmless",
        progress=_OrderProgress(what, len(numbers), timeout),
    ).value
    real = _real_errors(done)
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
