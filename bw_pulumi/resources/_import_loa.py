"""ImportTnOrder's letter of authorization: which import orders get ``loa_file``, and when.

Bandwidth takes the LOA per import order (``/importTnOrders/{id}/loas``, bandwidth-api.md 4.5)
and requires it "for completed orders" (Bandwidth's Hosted Messaging API Setup guide), while one
resource places an order for its create and another for every update or adoption that adds
numbers (or re-orders after a rolled back PARTIAL, or resumes an interrupted one). So:

- every order that ends holding numbers gets the file once it has finished; one that failed or
  was rolled back holds nothing and needs none. A resumed order that already has an LOA (from
  the run that placed it) gets no second copy, so a retried ``up`` never piles up files;
- an adopted order gets the file if it has none;
- a changed ``loa_file`` goes to every order that still holds numbers of this resource: for each
  held number, the newest finished order found by the customer order id (old and new) or by
  the resource's id that imported it. Earlier files stay on Bandwidth (nothing is deleted), so
  the letter in force when a number was imported can still be shown in a dispute.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable

from .._progress import say as log
from ..clients.dashboard import DashboardClient, ImportOrder

__all__ = ["content_type", "holding_orders", "upload_if_missing", "upload_to_holders"]

#: Statuses of an order whose successful numbers were imported (FAILED imported none; the numbers
#: of an EXCEPTION order were removed again by the create that saw it).
_HELD_BY = frozenset({"COMPLETE", "PARTIAL"})
_CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".txt": "text/plain",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
}


def content_type(path: str) -> str:
    """The upload's Content-Type, one Bandwidth accepts (section 4.5); PDF when unsure."""
    return _CONTENT_TYPES.get(os.path.splitext(path)[1].lower(), "application/pdf")


def _upload(client: DashboardClient, path: str, order_id: str, count: int) -> None:
    with open(path, "rb") as fh:
        name = client.upload_loa(order_id, fh.read(), content_type=content_type(path))
    held = "1 number" if count == 1 else f"{count} numbers"
    log(f"uploaded LOA {os.path.basename(path)} to import order {order_id} ({held}) as {name}")


def upload_if_missing(
    client: DashboardClient, path: str | None, order_id: str, held: Collection[str]
) -> None:
    """Give a finished order holding ``held`` the LOA, unless it has one already."""
    if not path or not held or client.list_loas(order_id):
        return
    _upload(client, path, order_id, len(held))


def holding_orders(
    client: DashboardClient, held: Iterable[str], own_order_id: str, coids: Iterable[str | None]
) -> dict[str, list[str]]:
    """``{order id: numbers}``: which of this resource's orders holds each of ``held`` now.

    A number removed and imported again appears in several orders: the newest one holds it.
    """
    ids = {own_order_id}
    for coid in dict.fromkeys(c for c in coids if c):
        ids.update(s.order_id for s in client.list_import_orders(customer_order_id=coid))
    orders: list[ImportOrder] = [client.get_import_order(order_id) for order_id in sorted(ids)]
    remaining = set(held)
    holders: dict[str, list[str]] = {}
    for order in sorted(orders, key=lambda o: o.created or "", reverse=True):
        if order.status not in _HELD_BY:
            continue
        mine = remaining & set(order.succeeded_numbers)
        if mine:
            holders[order.order_id] = sorted(mine)
            remaining -= mine
    if remaining:
        missing = ", ".join(sorted(remaining))
        log(f"no import order of this resource found for {missing}; their LOA was not replaced")
    return holders


def upload_to_holders(
    client: DashboardClient,
    path: str,
    held: Iterable[str],
    own_order_id: str,
    coids: Iterable[str | None],
) -> None:
    """Upload a changed LOA to every order that holds some of ``held`` (see the docstring)."""
    numbers_held = set(held)
    if not numbers_held:
        return
    for order_id, numbers in holding_orders(client, numbers_held, own_order_id, coids).items():
        _upload(client, path, order_id, len(numbers))
