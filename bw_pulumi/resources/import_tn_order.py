"""ImportTnOrder: numbers imported into the Dashboard account for hosted messaging.

The workflow is its lifecycle core (:mod:`bw_pulumi.core.import_tn_order`); input checks live
in ``_import_checks``, the state's shape in ``_import_state``, adoption in ``_import_adoption``
and the orders themselves in ``_ordering``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from .._sdk_compat import install_serialize_provider_guard
from ..core.import_tn_order import (
    DEFAULT_WAIT_TIMEOUT,
    ImportTnOrderCore,
    default_customer_order_id,
)
from ._import_state import INPUTS, OUTPUTS
from ._provider import BaseProvider, get_resource

__all__ = [
    "DEFAULT_WAIT_TIMEOUT",
    "ImportTnOrder",
    "ImportTnOrderArgs",
    "ImportTnOrderProvider",
    "ServiceAddress",
    "Subscriber",
    "default_customer_order_id",
]


class ImportTnOrderProvider(BaseProvider):
    """The dynamic provider over its lifecycle core, :mod:`bw_pulumi.core.import_tn_order`."""

    core_class = ImportTnOrderCore


ImportTnOrderProvider.__module__ = "bw_pulumi"


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
