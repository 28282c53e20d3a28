"""ImportTnOrder: numbers imported into the Dashboard account for hosted messaging.

The provider here is the workflow; input checks live in ``_import_checks``, the state's shape in
``_import_state``, adoption in ``_import_adoption`` and the orders themselves in ``_ordering``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, Resource, UpdateResult

from .._sdk_compat import install_serialize_provider_guard
from ..clients.dashboard import Address, DashboardClient, ImportOrderRequest
from ..errors import NotFound, OrderError
from ._import_adoption import adopt_order
from ._import_checks import ADDRESS_REQUIRED, check_order_inputs
from ._import_loa import upload_if_missing, upload_to_holders
from ._import_state import (
    INPUTS,
    OUTPUTS,
    REPLACE,
    STATE_ONLY,
    failed_records,
    held_numbers,
    in_service_numbers,
    order_fields,
    outputs,
)
from ._ordering import ImportOutcome, check_in_service, import_numbers, remove_numbers
from ._provider import (
    READ_CACHE_SECONDS,
    BaseProvider,
    diff_props,
    get_resource,
    is_unknown,
    log,
    user_props,
)
from ._unbind_first import unbind_before_removal

__all__ = [
    "DEFAULT_WAIT_TIMEOUT",
    "ImportTnOrder",
    "ImportTnOrderArgs",
    "ImportTnOrderProvider",
    "ServiceAddress",
    "Subscriber",
    "default_customer_order_id",
]

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


class ImportTnOrderProvider(BaseProvider):
    """importTnChecker, importTnOrders and removeImportedTnOrders. See :class:`ImportTnOrder`."""

    apis = ("dashboard",)

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        # No network: check runs on every preview, and unknown values pass through.
        inputs, failures = check_order_inputs(news, olds)
        return CheckResult(inputs, list(failures))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
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
            result.changes = True
        return result

    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = user_props(props)
        client = self.dashboard()
        adopt = inputs.get("adopt_order_id")
        if adopt:
            outs = adopt_order(client, inputs, adopt, self.settings.account_id)
            kept = set(outs["imported_numbers"]) & set(inputs["telephone_numbers"])
            upload_if_missing(client, inputs.get("loa_file"), adopt, kept)
            return CreateResult(adopt, self._converge(client, inputs, outs))
        outcome = self._import(client, inputs, inputs["telephone_numbers"])
        outs = outputs(inputs, outcome.order.order_id, outcome)
        return CreateResult(outs["order_id"], outs)

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

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
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
            return ReadResult(None, {})
        gone = sorted(set(held) - set(live))
        if gone:
            log(f"import order {id_}: no longer in service: {', '.join(gone)}")
        failed = [f["number"] for f in state.get("failed_numbers") or ()]
        inputs = {k: state[k] for k in INPUTS if k in state}
        inputs["telephone_numbers"] = sorted({*live, *failed})
        return ReadResult(id_, {**state, "imported_numbers": live}, inputs)

    def _read_order(self, id_: str, program: Mapping[str, Any]) -> ReadResult:
        """A read with no state of ours (`get` by id, import): everything from the live order."""
        client = self.dashboard()
        try:
            order = client.get_import_order(id_)
        except NotFound:
            self.confirm_gone("dashboard")
            return ReadResult(None, {})
        inputs = {k: program[k] for k in STATE_ONLY if program.get(k) is not None}
        inputs.update(order_fields(order))
        outcome = ImportOutcome(order, in_service_numbers(client, order), list(order.errors))
        return ReadResult(id_, outputs(inputs, id_, outcome), inputs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        inputs = user_props(news)
        client = self.dashboard()
        loa = inputs.get("loa_file")
        if loa and loa != olds.get("loa_file"):
            # Before any number changes, so a bad file fails the update with nothing else done;
            # orders placed below for added numbers get the new file as they finish.
            kept = set(olds.get("imported_numbers") or ()) & set(inputs["telephone_numbers"])
            coids = (olds.get("customer_order_id"), inputs.get("customer_order_id"))
            upload_to_holders(client, loa, kept, id_, coids)
        return UpdateResult(self._converge(client, inputs, user_props(olds)))

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


ImportTnOrderProvider.__module__ = "bw_pulumi"


def _timeout(props: Mapping[str, Any]) -> float:
    return float(props.get("wait_timeout") or DEFAULT_WAIT_TIMEOUT)


def _subscriber_props(sub: Subscriber | Mapping[str, Any] | None) -> Any:
    """Dataclasses are not serializable as inputs (pulumi-dynamic-providers.md 1.1): use dicts."""
    if not isinstance(sub, Subscriber):
        return sub
    address: Any = sub.service_address
    if isinstance(address, ServiceAddress):
        address = {f.name: getattr(address, f.name) for f in fields(address)}
    return {"name": sub.name, "service_address": address}


@dataclass
class ServiceAddress:
    """The subscriber's service address, as the import order records it.

    Attributes:
        house_number: Required. House number (``HouseNumber``).
        street_name: Required. Street name (``StreetName``).
        city: Required. City name.
        state_code: Required. Two-letter state code, such as ``NC``.
        zip: Required. ZIP code, as a string (a leading zero would be lost in a number).
        county: County, if the address needs one; default none.
    """

    house_number: pulumi.Input[str]
    """House number (``HouseNumber``)."""
    street_name: pulumi.Input[str]
    """Street name (``StreetName``)."""
    city: pulumi.Input[str]
    """City."""
    state_code: pulumi.Input[str]
    """Two-letter state code, such as ``NC``."""
    zip: pulumi.Input[str]
    """ZIP code (write it as a string: a leading zero would be lost in a number)."""
    county: pulumi.Input[str] | None = None
    """County, if the address needs one."""


@dataclass
class Subscriber:
    """Who the numbers belong to (``name`` at most 45 characters).

    Attributes:
        name: Required. Subscriber name, at most 45 characters.
        service_address: Required. Where the service is (:class:`ServiceAddress`).
    """

    name: pulumi.Input[str]
    """Subscriber name, at most 45 characters."""
    service_address: ServiceAddress
    """Where the service is."""


@dataclass
class ImportTnOrderArgs:
    """Inputs of :class:`ImportTnOrder`.

    ``telephone_numbers`` updates in place (one import order for added numbers, one removal order
    for dropped ones). ``site_id``, ``sip_peer_id``, ``subscriber`` and ``loa_authorizing_person``
    replace the order, removing its numbers first. The rest only change how the next order runs.

    Attributes:
        telephone_numbers: Required. Numbers in any common form (10-digit, +1 E.164,
            punctuated); stored as 10 digits, sorted. Updates: added numbers are imported,
            dropped ones removed.
        site_id: Required. Dashboard site (sub-account) the numbers go into. Replaces.
        subscriber: Required. Subscriber name and service address (:class:`Subscriber`).
            Replaces.
        loa_authorizing_person: Required. Who signed the letter of authorization. Replaces.
        sip_peer_id: SIP peer (Location); default the site's default peer. Replaces when set
            or changed (left unset, the order's own peer is accepted).
        customer_order_id: Idempotency key (1-40 letters, digits, dashes, spaces); default
            derived from project, stack and resource name. Updates (later orders).
        loa_file: Path of the signed LOA (PDF) uploaded to each order holding numbers;
            default none. Updates: the new file is uploaded to those orders.
        check_importability: Run importTnChecker before ordering; default true. Updates
            (later orders).
        allow_partial: Keep the numbers that imported when others fail; default false (roll
            back and fail). Updates (later orders).
        wait_timeout: Seconds to wait for each order; default 600 (the next ``up`` resumes
            a slower one). Updates (later orders).
        adopt_order_id: Take over numbers imported by hand with this order; destroy then
            removes them. Default none; read only at create.
    """

    telephone_numbers: pulumi.Input[list[str]]
    """Numbers in any common form (10-digit, +1 E.164, punctuated); stored as 10 digits, sorted."""
    site_id: pulumi.Input[str]
    """Dashboard site (sub-account) the numbers are imported into."""
    subscriber: Subscriber
    """Subscriber name and service address."""
    loa_authorizing_person: pulumi.Input[str]
    """First and last name of the person who signed the letter of authorization."""
    sip_peer_id: pulumi.Input[str] | None = None
    """SIP peer (location); the site's default when unset."""
    customer_order_id: pulumi.Input[str] | None = None
    """Idempotency key: an earlier order with this id is resumed. Default: project-stack-name."""
    loa_file: pulumi.Input[str] | None = None
    """Path of the signed LOA (PDF) uploaded to every import order that ends holding numbers:
    the create's, each update's or adoption's for added numbers, a resumed one (once), and an
    adopted order that has none. Changing it uploads the new file to each order still holding
    numbers of this resource; earlier files stay on Bandwidth."""
    check_importability: pulumi.Input[bool] | None = None
    """Run importTnChecker first and refuse before ordering (default true)."""
    allow_partial: pulumi.Input[bool] | None = None
    """Keep the numbers that imported when others fail (default false: roll back and fail)."""
    wait_timeout: pulumi.Input[float] | None = None
    """Seconds to wait for an order (default 600); the next ``up`` resumes a slower one."""
    adopt_order_id: pulumi.Input[str] | None = None
    """Take over numbers imported by hand with this order; destroy then removes them."""


class ImportTnOrder(Resource, module="bandwidth", name="ImportTnOrder"):
    """Numbers you own, imported into your Bandwidth Dashboard account for hosted messaging.

    Create checks importability, places an import order, polls it to completion (bounded by
    ``wait_timeout``) and confirms every number in service; a PARTIAL order is rolled back unless
    ``allow_partial``. Delete places a removal order and confirms the numbers left service.
    Refresh drops numbers no longer in service from ``imported_numbers`` (the next ``up``
    imports them again) and reports the resource gone when none remain.

    Outputs:
        order_id: Id of the import order that created (or adopted) the numbers; also the id.
        processing_status: That order's last status (``COMPLETE``, ``PARTIAL``, ...).
        telephone_numbers: The numbers asked for, 10 digits, sorted.
        imported_numbers: Numbers in service through this resource: what bindings use.
        failed_numbers: ``{number, code, description}`` per number an order reported failed.
        last_modified: When Bandwidth last changed the order, if it said.
        customer_order_id: The idempotency key orders were placed with.
        site_id: Dashboard site (sub-account) the numbers were imported into.
        sip_peer_id: SIP peer (Location) the numbers went into, if named.
        subscriber: Subscriber ``name`` and ``service_address``, as given.
        loa_authorizing_person: Who signed the letter of authorization.
        loa_file: Path of the signed LOA uploaded to the orders, if given.
        check_importability: Whether importTnChecker runs before ordering, if set.
        allow_partial: Whether numbers that imported are kept when others fail, if set.
        wait_timeout: Seconds each order is waited for, if set.

    Import: ``pulumi import`` cannot serve dynamic resources (pulumi/pulumi#16175). Set
    ``adopt_order_id`` to take over numbers imported by hand; ``pulumi destroy`` then removes them.
    """

    order_id: pulumi.Output[str]
    """Id of the import order that created (or, adopted, that imported) the numbers; also the
    resource id."""
    processing_status: pulumi.Output[str]
    """That order's last status: ``COMPLETE``, ``PARTIAL`` (kept with ``allow_partial``) and so
    on, as Bandwidth names them."""
    telephone_numbers: pulumi.Output[list[str]]
    """The numbers asked for, 10 digits, sorted."""
    imported_numbers: pulumi.Output[list[str]]
    """Numbers in service through this resource: what bindings (``PhoneNumber``) may use."""
    failed_numbers: pulumi.Output[list[dict[str, Any]]]
    """``{number, code, description}`` per number an order reported failed. After create or
    update only an order placed with ``allow_partial`` leaves any (without it a failure fails
    the step); ``ImportTnOrder.get`` of a PARTIAL or FAILED order lists each of its failures."""
    last_modified: pulumi.Output[str | None]
    """When Bandwidth last changed the order (its own timestamp), if it said."""
    customer_order_id: pulumi.Output[str]
    """The idempotency key orders were placed with (given, or project-stack-name)."""
    site_id: pulumi.Output[str]
    """Dashboard site (sub-account) the numbers were imported into."""
    sip_peer_id: pulumi.Output[str | None]
    """SIP peer (location), if one was named."""
    subscriber: pulumi.Output[dict[str, Any]]
    """Subscriber ``name`` and ``service_address``, as given."""
    loa_authorizing_person: pulumi.Output[str]
    """Who signed the letter of authorization."""
    loa_file: pulumi.Output[str | None]
    """Path of the signed LOA uploaded to the orders, if one was given."""
    check_importability: pulumi.Output[bool | None]
    """Whether importTnChecker runs before ordering, if set (default true)."""
    allow_partial: pulumi.Output[bool | None]
    """Whether numbers that imported are kept when others fail, if set (default false)."""
    wait_timeout: pulumi.Output[float | None]
    """Seconds an order is waited for, if set (default 600)."""

    def __init__(
        self,
        resource_name: str,
        args: ImportTnOrderArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Numbers you own, imported into the Dashboard account for hosted messaging.

        ``help(ImportTnOrder)`` lists its outputs, ``help(ImportTnOrderArgs)`` its inputs.

        Args:
            resource_name: The resource's name, unique in the stack (part of the default
                ``customer_order_id``).
            args: Its inputs (:class:`ImportTnOrderArgs`).
            opts: Pulumi resource options (``depends_on``, ``protect``, ...).
        """
        props: dict[str, Any] = {key: getattr(args, key) for key in INPUTS}
        props["subscriber"] = _subscriber_props(args.subscriber)
        if props["customer_order_id"] is None:
            # The provider process does not know the stack (pulumi-dynamic-providers.md 1.12).
            props["customer_order_id"] = default_customer_order_id(
                pulumi.get_project(), pulumi.get_stack(), resource_name
            )
        props.update({key: None for key in OUTPUTS})
        install_serialize_provider_guard()  # before the SDK pickles the provider
        super().__init__(ImportTnOrderProvider(), resource_name, props, opts)

    @staticmethod
    def get(
        resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> ImportTnOrder:
        """Look up an existing ImportTnOrder by id, read-only: every field comes from Bandwidth, the
        state marks it external and ``destroy`` leaves it alone."""
        return get_resource(
            ImportTnOrder,
            ImportTnOrderProvider(),
            resource_name,
            id,
            (*INPUTS, *OUTPUTS),
            opts,
        )
