"""ImportTnOrder: numbers imported into the Dashboard account for hosted messaging."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, Resource, UpdateResult

from ..clients.dashboard import Address, DashboardClient, ImportOrder, ImportOrderRequest
from ..errors import AdoptionMismatch, ErrorDetail, NotFound, OrderError
from ._import_checks import ADDRESS_REQUIRED, check_numbers, check_subscriber
from ._ordering import ImportOutcome, import_numbers, remove_numbers
from ._provider import (
    IN_SERVICE,
    READ_CACHE_SECONDS,
    BaseProvider,
    Failures,
    as_text,
    diff_props,
    get_resource,
    is_unknown,
    log,
    user_props,
)

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
_REPLACE = ("site_id", "sip_peer_id", "subscriber", "loa_authorizing_person")
_STATE_ONLY = (
    "customer_order_id",
    "loa_file",
    "check_importability",
    "allow_partial",
    "wait_timeout",
)
_INPUTS = ("telephone_numbers", *_REPLACE, *_STATE_ONLY, "adopt_order_id")
_OUTPUTS = ("order_id", "processing_status", "imported_numbers", "failed_numbers", "last_modified")
# Bandwidth: letters, digits, dashes and spaces, at most 40 characters (bandwidth-api.md 4.1).
_COID = re.compile(r"^[A-Za-z0-9 -]{1,40}$")


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

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs = dict(news)
        failures = Failures()
        inputs["telephone_numbers"] = check_numbers(failures, news.get("telephone_numbers"))
        inputs["subscriber"] = check_subscriber(failures, news.get("subscriber"))
        for prop in ("site_id", "loa_authorizing_person"):
            value = news.get(prop)
            if not is_unknown(value) and (value is None or not as_text(value)):
                failures.add(prop, f"{prop} is required")
            elif not is_unknown(value):
                inputs[prop] = as_text(value)
        if news.get("sip_peer_id") is not None and not is_unknown(news["sip_peer_id"]):
            inputs["sip_peer_id"] = as_text(news["sip_peer_id"])
        coid = news.get("customer_order_id")
        if coid is not None and not is_unknown(coid) and not _COID.match(str(coid)):
            failures.add(
                "customer_order_id",
                f"customer_order_id must be 1-40 letters, digits, dashes or spaces; got {coid!r}",
            )
        timeout = news.get("wait_timeout")
        bad_timeout = isinstance(timeout, bool) or not isinstance(timeout, (int, float))
        if timeout is not None and not is_unknown(timeout) and (bad_timeout or timeout <= 0):
            failures.add("wait_timeout", f"wait_timeout must be positive seconds; got {timeout!r}")
        for flag in ("check_importability", "allow_partial"):
            value = news.get(flag)
            if value is not None and not is_unknown(value) and not isinstance(value, bool):
                failures.add(flag, f"{flag} must be true or false; got {value!r}")
        loa = news.get("loa_file")
        if loa is not None and not is_unknown(loa) and not os.path.isfile(str(loa)):
            failures.add("loa_file", f"loa_file {loa!r} is not a readable file")
        return CheckResult(inputs, list(failures))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        # Replacing holds a number twice unless the old order is removed first.
        # A SIP peer the program leaves unset is the order's own (the site default, or what an
        # adopted order carries): accepted, never a reason to replace.
        result = diff_props(
            olds,
            news,
            replace_keys=_REPLACE,
            update_keys=_STATE_ONLY,
            accept_server_value=("sip_peer_id",),
            delete_before_replace=True,
        )
        wanted = news.get("telephone_numbers")
        if is_unknown(wanted) or set(wanted or ()) != _held(olds):
            result.changes = True
        return result

    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = user_props(props)
        client = self.dashboard()
        adopt = inputs.get("adopt_order_id")
        if adopt:
            outs = self._adopt(client, inputs, adopt)
            return CreateResult(adopt, self._converge(client, inputs, outs))
        outcome = self._import(client, inputs, inputs["telephone_numbers"])
        outs = _outputs(inputs, outcome.order.order_id, outcome)
        self._upload_loa(client, inputs, outs["order_id"])
        return CreateResult(outs["order_id"], outs)

    def _adopt(
        self, client: DashboardClient, inputs: dict[str, Any], order_id: str
    ) -> dict[str, Any]:
        try:
            order = client.get_import_order(order_id)
        except NotFound:
            raise NotFound(
                f"adopt_order_id {order_id} is not an import order of account "
                f"{self.settings.account_id}; remove the input to place a new order"
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
        held = _in_service(client, order)
        log(f"adopted import order {order_id} holding {len(held)} numbers in service")
        if inputs.get("sip_peer_id") is None and order.sip_peer_id:
            inputs["sip_peer_id"] = order.sip_peer_id  # left open: the order's own, kept by create
        return _outputs(inputs, order_id, ImportOutcome(order, held, []))

    def _import(
        self, client: DashboardClient, inputs: Mapping[str, Any], numbers: list[str]
    ) -> ImportOutcome:
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
        return import_numbers(
            client,
            request,
            check=inputs.get("check_importability", True),
            allow_partial=inputs.get("allow_partial", False),
            timeout=float(inputs.get("wait_timeout", DEFAULT_WAIT_TIMEOUT)),
        )

    def _converge(
        self, client: DashboardClient, inputs: dict[str, Any], olds: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Import the wanted numbers not held, remove the held ones not wanted."""
        wanted = set(inputs["telephone_numbers"])
        imported = set(olds.get("imported_numbers") or ())
        failed = [f for f in olds.get("failed_numbers") or () if f["number"] in wanted]
        to_add = sorted(wanted - _held(olds))
        to_remove = sorted(imported - wanted)
        outs = {**olds, **{k: inputs.get(k) for k in _INPUTS}}
        if to_add:  # first: if it fails, nothing was removed and the state stays true
            outcome = self._import(client, inputs, to_add)
            imported |= set(outcome.imported)
            failed += _failed_records(outcome.failed)
            outs.update(
                processing_status=outcome.order.status, last_modified=outcome.order.last_modified
            )
        if to_remove:
            remove_numbers(client, to_remove, inputs.get("customer_order_id"), _timeout(inputs))
            imported -= set(to_remove)
        outs.update(imported_numbers=sorted(imported), failed_numbers=failed)
        return {k: v for k, v in outs.items() if v is not None}

    def _upload_loa(
        self, client: DashboardClient, inputs: Mapping[str, Any], order_id: str
    ) -> None:
        path = inputs.get("loa_file")
        if not path or client.list_loas(order_id):
            return  # none asked for, or already uploaded by an earlier (resumed) run
        with open(path, "rb") as fh:
            client.upload_loa(order_id, fh.read(), content_type=_content_type(path))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        state = user_props(props)
        if not state.get("order_id"):
            return self._read_order(id_, state)
        held = list(state.get("imported_numbers") or ())
        # Cached answers are this process's own (seconds old): sharing them with the bindings'
        # reads keeps a refresh at one lookup per number whichever resource is read first.
        answers = IN_SERVICE.lookup_many(self.dashboard(), held, max_age=READ_CACHE_SECONDS)
        live = sorted(tn for tn, ok in answers.items() if ok)
        if held and not live:
            self.confirm_gone("dashboard")  # every number answered 404: nothing is held any more
            return ReadResult(None, {})
        gone = sorted(set(held) - set(live))
        if gone:
            log(f"import order {id_}: no longer in service: {', '.join(gone)}")
        failed = [f["number"] for f in state.get("failed_numbers") or ()]
        inputs = {k: state[k] for k in _INPUTS if k in state}
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
        inputs = {k: program[k] for k in _STATE_ONLY if program.get(k) is not None}
        inputs.update(_order_fields(order))
        outcome = ImportOutcome(order, _in_service(client, order), list(order.errors))
        return ReadResult(id_, _outputs(inputs, id_, outcome), inputs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        inputs = user_props(news)
        client = self.dashboard()
        outs = self._converge(client, inputs, user_props(olds))
        if inputs.get("loa_file") and inputs.get("loa_file") != olds.get("loa_file"):
            with open(inputs["loa_file"], "rb") as fh:
                client.upload_loa(id_, fh.read(), content_type=_content_type(inputs["loa_file"]))
        return UpdateResult(outs)

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


def _loose(value: object) -> str:
    """Case and spacing do not make two addresses or names different."""
    return " ".join(str(value).split()).casefold()


def _in_service(client: DashboardClient, order: ImportOrder) -> list[str]:
    answers = IN_SERVICE.lookup_many(client, order.succeeded_numbers, fresh=True)
    return sorted(tn for tn, ok in answers.items() if ok)


def _order_fields(order: ImportOrder) -> dict[str, Any]:
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


def _held(olds: Mapping[str, Any]) -> set[str]:
    """Numbers the state accounts for: imported, plus failures accepted with allow_partial."""
    failed = {f["number"] for f in olds.get("failed_numbers") or ()}
    return set(olds.get("imported_numbers") or ()) | failed


def _timeout(props: Mapping[str, Any]) -> float:
    return float(props.get("wait_timeout") or DEFAULT_WAIT_TIMEOUT)


def _content_type(path: str) -> str:
    ext = os.path.splitext(path)[1].lower()
    return {
        ".pdf": "application/pdf",
        ".txt": "text/plain",
        ".png": "image/png",
        ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg",
        ".tif": "image/tiff",
        ".tiff": "image/tiff",
    }.get(ext, "application/pdf")


def _failed_records(details: list[ErrorDetail]) -> list[dict[str, Any]]:
    return [
        {"number": tn, "code": d.code, "description": d.description}
        for d in details
        for tn in d.telephone_numbers
    ]


def _outputs(inputs: Mapping[str, Any], order_id: str, outcome: ImportOutcome) -> dict[str, Any]:
    outs = {k: inputs[k] for k in _INPUTS if inputs.get(k) is not None}
    outs.update(
        order_id=order_id,
        processing_status=outcome.order.status,
        imported_numbers=sorted(outcome.imported),
        failed_numbers=_failed_records(outcome.failed),
    )
    if outcome.order.last_modified:
        outs["last_modified"] = outcome.order.last_modified
    return outs


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
    """The subscriber's service address, as the import order records it."""

    house_number: pulumi.Input[str]
    street_name: pulumi.Input[str]
    city: pulumi.Input[str]
    state_code: pulumi.Input[str]
    zip: pulumi.Input[str]
    county: pulumi.Input[str] | None = None


@dataclass
class Subscriber:
    """Who the numbers belong to (``name`` at most 45 characters)."""

    name: pulumi.Input[str]
    service_address: ServiceAddress


@dataclass
class ImportTnOrderArgs:
    """Inputs of :class:`ImportTnOrder`.

    ``telephone_numbers`` updates in place (one import order for added numbers, one removal order
    for dropped ones). ``site_id``, ``sip_peer_id``, ``subscriber`` and ``loa_authorizing_person``
    replace the order, removing its numbers first. The rest only change how the next order runs.
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
    """Path of the signed LOA (PDF) to upload to the order."""
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

    Import: ``pulumi import`` cannot serve dynamic resources (pulumi/pulumi#16175). Set
    ``adopt_order_id`` to take over numbers imported by hand; ``pulumi destroy`` then removes them.
    """

    order_id: pulumi.Output[str]
    processing_status: pulumi.Output[str]
    telephone_numbers: pulumi.Output[list[str]]
    imported_numbers: pulumi.Output[list[str]]
    failed_numbers: pulumi.Output[list[dict[str, Any]]]
    last_modified: pulumi.Output[str | None]
    customer_order_id: pulumi.Output[str]
    site_id: pulumi.Output[str]
    sip_peer_id: pulumi.Output[str | None]
    subscriber: pulumi.Output[dict[str, Any]]
    loa_authorizing_person: pulumi.Output[str]
    loa_file: pulumi.Output[str | None]
    check_importability: pulumi.Output[bool | None]
    allow_partial: pulumi.Output[bool | None]
    wait_timeout: pulumi.Output[float | None]

    def __init__(
        self,
        resource_name: str,
        args: ImportTnOrderArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props: dict[str, Any] = {key: getattr(args, key) for key in _INPUTS}
        props["subscriber"] = _subscriber_props(args.subscriber)
        if props["customer_order_id"] is None:
            # The provider process does not know the stack (pulumi-dynamic-providers.md 1.12).
            props["customer_order_id"] = default_customer_order_id(
                pulumi.get_project(), pulumi.get_stack(), resource_name
            )
        props.update({key: None for key in _OUTPUTS})
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
            (*_INPUTS, *_OUTPUTS),
            opts,
        )
