"""ImportTnOrder adoption: take over numbers imported by hand (``adopt_order_id``).

``pulumi import`` cannot serve dynamic resources (pulumi/pulumi#16175), so adoption is an input.
Fields that only change by replacing the order must already match: state must never claim what
the live order does not have.
"""

from __future__ import annotations

from typing import Any

from .._progress import say as log
from ..clients.dashboard import DashboardClient
from ..errors import AdoptionMismatch, NotFound
from ._import_checks import ADDRESS_REQUIRED
from ._import_state import in_service_numbers, outputs
from ._ordering import ImportOutcome

__all__ = ["adopt_order"]


def adopt_order(
    client: DashboardClient, inputs: dict[str, Any], order_id: str, account_id: str | None
) -> dict[str, Any]:
    """The state of order ``order_id`` taken over; :class:`AdoptionMismatch` if it differs."""
    try:
        order = client.get_import_order(order_id)
    except NotFound:
        raise NotFound(
            f"adopt_order_id {order_id} is not an import order of account "
            f"{account_id}; remove the input to place a new order"
        ) from None
    sub = inputs.get("subscriber") or {}
    address = vars(order.service_address) if order.service_address else {}
    wanted_address = sub.get("service_address") or {}
    pairs = [
        ("site_id", order.site_id, inputs.get("site_id")),
        ("sip_peer_id", order.sip_peer_id, inputs.get("sip_peer_id")),
        ("subscriber.name", order.subscriber_name, sub.get("name")),
        (
            "loa_authorizing_person",
            order.loa_authorizing_person,
            inputs.get("loa_authorizing_person"),
        ),
        *(
            (f"subscriber.service_address.{part}", address.get(part), wanted_address.get(part))
            for part in (*ADDRESS_REQUIRED, "county")
        ),
    ]
    mismatches = [
        f"{field} is {have!r} on the order but {want!r} in the program"
        for field, have, want in pairs
        if have is not None and want is not None and _loose(have) != _loose(want)
    ]
    if mismatches:
        raise AdoptionMismatch(
            f"cannot adopt import order {order_id}: "
            + "; ".join(mismatches)
            + ". These fields can only change by replacing the order (removing its numbers),"
            " so set them to the order's values to adopt it"
        )
    held = in_service_numbers(client, order)
    log(f"adopted import order {order_id} holding {len(held)} numbers in service")
    if inputs.get("sip_peer_id") is None and order.sip_peer_id:
        inputs["sip_peer_id"] = order.sip_peer_id  # left open: the order's own, kept by create
    return outputs(inputs, order_id, ImportOutcome(order, held, []))


def _loose(value: object) -> str:
    """Case and spacing do not make two addresses or names different."""
    return " ".join(str(value).split()).casefold()
