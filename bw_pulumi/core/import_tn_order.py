"""ImportTnOrder's lifecycle core: numbers imported into the Dashboard account for hosted
messaging.

The core here is the workflow; input checks live in ``_import_checks``, the state's shape in
``_import_state``, adoption in ``_import_adoption`` and the orders themselves in ``_ordering``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from .._progress import say as log
from ..clients.dashboard import Address, DashboardClient, ImportOrderRequest
from ..errors import NotFound, OrderError
from ..resources._import_adoption import adopt_order
from ..resources._import_checks import ADDRESS_REQUIRED, check_order_inputs
from ..resources._import_loa import upload_if_missing, upload_to_holders
from ..resources._import_state import (
    INPUTS,
    REPLACE,
    STATE_ONLY,
    failed_records,
    held_numbers,
    in_service_numbers,
    order_fields,
    outputs,
)
from ..resources._ordering import ImportOutcome, check_in_service, import_numbers, remove_numbers
from ..resources._unbind_first import unbind_before_removal
from .base import READ_CACHE_SECONDS, CoreBase
from .lifecycle import CheckOutcome, DiffOutcome, ReadOutcome, ResourceName
from .values import diff_props, is_unknown, user_props

__all__ = ["DEFAULT_WAIT_TIMEOUT", "ImportTnOrderCore", "default_customer_order_id"]

#: Seconds a create/update/delete waits for an order (well under the engine's 30-minute queue).
DEFAULT_WAIT_TIMEOUT = 600


def default_customer_order_id(project: str, stack: str, resource_name: str) -> str:
    """A customer order id unique per stack resource, within Bandwidth's 40-character alphabet.

    Readable prefix, then a digest of the three names kept apart: joined names alone collide
    (``app``/``dev``/``us-numbers`` and ``app``/``dev-us``/``numbers``), and a collision would let
    one stack resume, then destroy, the other's order.
    """
    full = f"{project}-{stack}-{resource_name}"
    clean = re.sub(r"[^A-Za-z0-9 -]+", "-", full).strip("- ") or "bw-pulumi"
    digest = hashlib.sha256("\0".join((project, stack, resource_name)).encode()).hexdigest()[:8]
    return f"{clean[:31].rstrip('- ')}-{digest}"


class ImportTnOrderCore(CoreBase):
    """importTnChecker, importTnOrders and removeImportedTnOrders."""

    apis = ("dashboard",)

    def with_defaults(self, news: dict[str, Any], resource: ResourceName) -> dict[str, Any]:
        # design.md, ImportTnOrder: one order id per stack resource, the same from any program.
        if news.get("customer_order_id") is not None:
            return news
        default = default_customer_order_id(resource.project, resource.stack, resource.name)
        return {**news, "customer_order_id": default}

    def check_inputs(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckOutcome:
        # No network: check runs on every preview, and unknown values pass through.
        inputs, failures = check_order_inputs(news, olds)
        return CheckOutcome(inputs, list(failures))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffOutcome:
        # Replacing holds a number twice unless the old order is removed first.
        # A SIP peer the program leaves unset is the order's own (the site default, or what an
        # adopted order carries): accepted, never a reason to replace.
        result = diff_props(
            olds,
            news,
            replace_keys=REPLACE,
            update_keys=STATE_ONLY,
            accept_server_value=("sip_peer_id",),
            delete_before_replace=True,
        )
        wanted = news.get("telephone_numbers")
        if is_unknown(wanted) or set(wanted or ()) != held_numbers(olds):
            changed = sorted({*result.changed, "telephone_numbers"})
            result = replace(result, changes=True, changed=changed)
        return result

    def create(self, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        inputs = user_props(props)
        client = self.dashboard()
        adopt = inputs.get("adopt_order_id")
        if adopt:
            outs = adopt_order(client, inputs, adopt, self.settings.account_id)
            kept = set(outs["imported_numbers"]) & set(inputs["telephone_numbers"])
            upload_if_missing(client, inputs.get("loa_file"), adopt, kept)
            return (adopt, self._converge(client, inputs, outs))
        outcome = self._import(client, inputs, inputs["telephone_numbers"])
        outs = outputs(inputs, outcome.order.order_id, outcome)
        return (outs["order_id"], outs)

    def _import(
        self, client: DashboardClient, inputs: Mapping[str, Any], numbers: list[str]
    ) -> ImportOutcome:
        """One import order for ``numbers`` (placed or resumed), finished, with its LOA."""
        sub = inputs["subscriber"]
        addr = sub["service_address"]
        request = ImportOrderRequest(
            telephone_numbers=sorted(numbers),
            site_id=inputs["site_id"],
            sip_peer_id=inputs.get("sip_peer_id"),
            subscriber_name=sub["name"],
            service_address=Address(**{k: addr.get(k) for k in (*ADDRESS_REQUIRED, "county")}),
            loa_authorizing_person=inputs["loa_authorizing_person"],
            customer_order_id=inputs.get("customer_order_id"),
        )
        outcome = import_numbers(
            client,
            request,
            check=inputs.get("check_importability", True),
            allow_partial=inputs.get("allow_partial", False),
            timeout=float(inputs.get("wait_timeout", DEFAULT_WAIT_TIMEOUT)),
        )
        upload_if_missing(client, inputs.get("loa_file"), outcome.order.order_id, outcome.imported)
        return outcome

    def _converge(
        self, client: DashboardClient, inputs: dict[str, Any], olds: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Import the wanted numbers not held, remove the held ones not wanted."""
        wanted = set(inputs["telephone_numbers"])
        imported = set(olds.get("imported_numbers") or ())
        failed = [f for f in olds.get("failed_numbers") or () if f["number"] in wanted]
        to_add = sorted(wanted - held_numbers(olds))
        to_remove = sorted(imported - wanted)
        outs = {**olds, **{k: inputs.get(k) for k in INPUTS}}
        if to_add:  # first: if it fails, nothing was removed and the state stays true
            outcome = self._import(client, inputs, to_add)
            imported |= set(outcome.imported)
            failed += failed_records(outcome.failed)
            outs.update(
                processing_status=outcome.order.status, last_modified=outcome.order.last_modified
            )
        if to_remove:
            unbind_before_removal(self.catapult, to_remove)  # see _unbind_first
            remove_numbers(client, to_remove, inputs.get("customer_order_id"), _timeout(inputs))
            imported -= set(to_remove)
        outs.update(imported_numbers=sorted(imported), failed_numbers=failed)
        return {k: v for k, v in outs.items() if v is not None}

    def read(self, id_: str, props: dict[str, Any]) -> ReadOutcome:
        state = user_props(props)
        if not state.get("order_id"):
            return self._read_order(id_, state)
        held = list(state.get("imported_numbers") or ())
        # Cached answers are this process's own (seconds old): sharing them with the bindings'
        # reads keeps a refresh at one answer per number (one listing of the account, or one
        # GET each, whichever is cheaper) whichever resource is read first.
        answers = check_in_service(
            self.dashboard(), held, f"import order {id_}", max_age=READ_CACHE_SECONDS
        )
        live = sorted(tn for tn, ok in answers.items() if ok)
        if held and not live:
            self.confirm_gone("dashboard")  # every number answered 404: nothing is held any more
            return ReadOutcome(None, {})
        gone = sorted(set(held) - set(live))
        if gone:
            log(f"import order {id_}: no longer in service: {', '.join(gone)}")
        failed = [f["number"] for f in state.get("failed_numbers") or ()]
        inputs = {k: state[k] for k in INPUTS if k in state}
        inputs["telephone_numbers"] = sorted({*live, *failed})
        return ReadOutcome(id_, {**state, "imported_numbers": live}, inputs)

    def _read_order(self, id_: str, program: Mapping[str, Any]) -> ReadOutcome:
        """A read with no state of ours (`get` by id, import): everything from the live order."""
        client = self.dashboard()
        try:
            order = client.get_import_order(id_)
        except NotFound:
            self.confirm_gone("dashboard")
            return ReadOutcome(None, {})
        inputs = {k: program[k] for k in STATE_ONLY if program.get(k) is not None}
        inputs.update(order_fields(order))
        outcome = ImportOutcome(order, in_service_numbers(client, order), list(order.errors))
        return ReadOutcome(id_, outputs(inputs, id_, outcome), inputs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        inputs = user_props(news)
        client = self.dashboard()
        loa = inputs.get("loa_file")
        if loa and loa != olds.get("loa_file"):
            # Before any number changes, so a bad file fails the update with nothing else done;
            # orders placed below for added numbers get the new file as they finish.
            kept = set(olds.get("imported_numbers") or ()) & set(inputs["telephone_numbers"])
            coids = (olds.get("customer_order_id"), inputs.get("customer_order_id"))
            upload_to_holders(client, loa, kept, id_, coids)
        return self._converge(client, inputs, user_props(olds))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        held = list(props.get("imported_numbers") or ())
        try:
            remove_numbers(self.dashboard(), held, props.get("customer_order_id"), _timeout(props))
        except OrderError as exc:
            raise OrderError(
                f"could not remove the numbers of import order {id_}; the stack still holds "
                f"them, so run `pulumi destroy` again once Bandwidth's errors are resolved.\n{exc}",
                order_id=id_,
            ) from None


def _timeout(props: Mapping[str, Any]) -> float:
    return float(props.get("wait_timeout") or DEFAULT_WAIT_TIMEOUT)
