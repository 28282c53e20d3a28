"""ImportTnOrder's property shape: which inputs do what, and state built from orders.

Kept apart from the provider so the provider module reads as the workflow (create, update,
read, delete) and this one as the single description of the state it records.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..clients.dashboard import DashboardClient, ImportOrder
from ..errors import ErrorDetail
from ._ordering import ImportOutcome, check_in_service

__all__ = [
    "INPUTS",
    "OUTPUTS",
    "REPLACE",
    "STATE_ONLY",
    "failed_records",
    "held_numbers",
    "in_service_numbers",
    "order_fields",
    "outputs",
]

#: Inputs that replace the order (removing its numbers first: a number cannot be held twice).
REPLACE = ("site_id", "sip_peer_id", "subscriber", "loa_authorizing_person")
#: Inputs that only change how later orders run, so they update in place.
STATE_ONLY = (
    "customer_order_id",
    "loa_file",
    "check_importability",
    "allow_partial",
    "wait_timeout",
)
INPUTS = ("telephone_numbers", *REPLACE, *STATE_ONLY, "adopt_order_id")
OUTPUTS = ("order_id", "processing_status", "imported_numbers", "failed_numbers", "last_modified")


def in_service_numbers(client: DashboardClient, order: ImportOrder) -> list[str]:
    """The numbers the order imported that are in service now (live answers)."""
    what = f"import order {order.order_id}"
    answers = check_in_service(client, order.succeeded_numbers, what, fresh=True)
    return sorted(tn for tn, ok in answers.items() if ok)


def order_fields(order: ImportOrder) -> dict[str, Any]:
    """The inputs a live order answers for, in the resource's property shape."""
    fields_: dict[str, Any] = {
        "telephone_numbers": sorted(order.telephone_numbers),
        "site_id": order.site_id,
        "sip_peer_id": order.sip_peer_id,
        "loa_authorizing_person": order.loa_authorizing_person,
        "customer_order_id": order.customer_order_id,
    }
    if order.subscriber_name is not None:
        address = order.service_address
        fields_["subscriber"] = {
            "name": order.subscriber_name,
            "service_address": {k: v for k, v in vars(address).items() if v is not None}
            if address is not None
            else None,
        }
    return {k: v for k, v in fields_.items() if v is not None}


def held_numbers(olds: Mapping[str, Any]) -> set[str]:
    """Numbers the state accounts for: imported, plus failures accepted with allow_partial."""
    failed = {f["number"] for f in olds.get("failed_numbers") or ()}
    return set(olds.get("imported_numbers") or ()) | failed


def failed_records(details: list[ErrorDetail]) -> list[dict[str, Any]]:
    """One ``{number, code, description}`` per failed number (plain dicts: state is JSON)."""
    return [
        {"number": tn, "code": d.code, "description": d.description}
        for d in details
        for tn in d.telephone_numbers
    ]


def outputs(inputs: Mapping[str, Any], order_id: str, outcome: ImportOutcome) -> dict[str, Any]:
    """The state recorded for a finished order: the inputs plus what the order reports."""
    outs = {k: inputs[k] for k in INPUTS if inputs.get(k) is not None}
    outs.update(
        order_id=order_id,
        processing_status=outcome.order.status,
        imported_numbers=sorted(outcome.imported),
        failed_numbers=failed_records(outcome.failed),
    )
    if outcome.order.last_modified:
        outs["last_modified"] = outcome.order.last_modified
    return outs
