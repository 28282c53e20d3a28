"""Dashboard wire format, part 2: importTnChecker, importTnOrders (+history, LOAs), removals.

Shapes follow bandwidth-api.md sections 3, 4 and 5 and the captured fixtures: create answers
``...Response > Order`` while GET answers a bare order root; summaries use lowercase
``accountId``/``userId``/``lastModifiedDate`` and ``OrderStatus``.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from lxml import etree
from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from bw_pulumi import _xml
from bw_pulumi.emulator import orders
from bw_pulumi.emulator.dashboard import is_uuid, location
from bw_pulumi.emulator.models import (
    IMPORT,
    REMOVE,
    Order,
    describe,
    iso_millis,
    new_uuid,
    now,
)
from bw_pulumi.emulator.wire import (
    BadXml,
    Context,
    flat_errors,
    parse_xml,
    status_error,
    xml_response,
)

__all__ = ["HANDLERS", "RULES", "errors_xml", "lookup", "order_xml", "read_numbers", "summary_list"]

#: NANPA shape: NPA and NXX start with 2-9 (7201 otherwise, API doc 3).
_NANPA = re.compile(r"^[2-9]\d{2}[2-9]\d{6}$")
_CUSTOMER_ORDER_ID = re.compile(r"^[A-Za-z0-9 -]{1,40}$")  # API doc 4.1
MAX_CHECKER_TNS = 5000
_ADDRESS_REQUIRED = ("HouseNumber", "StreetName", "City", "StateCode", "Zip")
_KIND_ROOTS = {
    IMPORT: ("ImportTnOrder", "ImportTnOrderResponse", "ImportTnOrderSummary", "import_tn_orders"),
    REMOVE: (
        "RemoveImportedTnOrder",
        "RemoveImportedTnOrdersResponse",
        "RemoveImportedTnOrderSummary",
        "remove_imported_tn_orders",
    ),
}
#: Error roots for GET one: the removal one is documented (1008, API doc 5); the import one is
#: our analogue (no source shows it).
_REPORT_ROOTS = {IMPORT: "ImportTnOrderResponse", REMOVE: "RemoveImportedTnOrdersReportResponse"}


def read_numbers(node: etree._Element | None) -> tuple[list[str], list[tuple[int, str]]]:
    """TNs under ``TelephoneNumbers`` (order kept, duplicates dropped) and 7201 errors."""
    tns: list[str] = []
    errors: list[tuple[int, str]] = []
    group = None if node is None else _xml.find(node, "TelephoneNumbers")
    for tn in _xml.texts(group, "TelephoneNumber"):
        if not _NANPA.match(tn):
            errors.append((7201, f"{tn} is not a valid NANPA telephone number."))
        elif tn not in tns:
            tns.append(tn)
    return tns, errors


# -- importTnChecker -------------------------------------------------------------------------


def check(ctx: Context, request: Request, account_id: str) -> Response:
    root_name = "ImportTnCheckerResponse"
    try:
        root = parse_xml(request)
    except BadXml as exc:
        return flat_errors(root_name, [(1003, f"ImportTnCheckerPayload is required: {exc}")])
    tns, errors = read_numbers(root)
    raw = _xml.texts(_xml.find(root, "TelephoneNumbers"), "TelephoneNumber")
    if not raw:
        errors.append((1003, "TelephoneNumbers is required"))
    if len(raw) > MAX_CHECKER_TNS:
        errors.append((1006, f"The number of TelephoneNumbers must not exceed {MAX_CHECKER_TNS}"))
    if len(set(raw)) != len(raw):
        dupes = sorted({tn for tn in raw if raw.count(tn) > 1})
        errors.append((1006, f"Duplicate telephone numbers: {', '.join(dupes)}"))
    if errors:
        return flat_errors(root_name, errors)
    with ctx.store.read() as world:
        codes = {tn: world.unimportable[tn] for tn in tns if tn in world.unimportable}
    grouped: dict[int, list[str]] = {}
    for tn, code in codes.items():
        grouped.setdefault(code, []).append(tn)
    body = _xml.element(
        root_name,
        _xml.element(
            "ImportTnCheckerPayload",
            _xml.element(
                "TelephoneNumbers",
                *_xml.repeated("TelephoneNumber", [t for t in tns if t not in codes]),
            ),
            _xml.element(
                "ImportTnErrors",
                *(
                    _xml.element(
                        "ImportTnError",
                        ("Code", code),
                        ("Description", describe(code)),
                        _xml.element("TelephoneNumbers", *_xml.repeated("TelephoneNumber", group)),
                    )
                    for code, group in grouped.items()
                ),
            ),
        ),
    )
    return xml_response(body)


# -- rendering -------------------------------------------------------------------------------


def errors_xml(order: Order) -> etree._Element:
    """``Errors > Error* > Code, Description, TelephoneNumbers`` of an order document."""
    return _xml.element(
        "Errors",
        *(
            _xml.element(
                "Error",
                ("Code", e.code),
                ("Description", e.description),
                _xml.element(
                    "TelephoneNumbers", *_xml.repeated("TelephoneNumber", e.telephone_numbers)
                ),
            )
            for e in order.errors
        ),
    )


def _subscriber_xml(order: Order, echoed: bool) -> etree._Element:
    address = dict(order.service_address)
    if echoed:
        # GET adds Country and AddressType that were never sent (captured, API doc 4.3).
        address.setdefault("Country", "United States")
        address.setdefault("AddressType", "Service")
    return _xml.element(
        "Subscriber",
        ("Name", order.subscriber_name),
        _xml.element("ServiceAddress", *address.items()),
    )


def order_xml(order: Order, account_id: str, *, created: bool) -> etree._Element:
    """The order document: ``created`` is the 201 echo, else the GET form (API doc 4.1, 4.3)."""
    tag = _KIND_ROOTS[order.kind][0]
    head: list[_xml.XmlChild] = [
        ("CustomerOrderId", order.customer_order_id),
        ("OrderCreateDate", iso_millis(order.created)),
        ("AccountId", account_id),
        ("CreatedByUser", order.created_by),
        ("OrderId", order.order_id),
        ("LastModifiedDate", iso_millis(order.last_modified)),
    ]
    if order.kind == IMPORT:
        head.append(("SiteId", order.site_id))
        if created:
            head.append(("SipPeerId", order.sip_peer_id))
        head.append(_subscriber_xml(order, echoed=not created))
        head.append(("LoaAuthorizingPerson", order.loa_authorizing_person))
        if created:
            head.append(("LoaType", order.loa_type))  # absent in every captured GET
    head.append(
        _xml.element("TelephoneNumbers", *_xml.repeated("TelephoneNumber", order.telephone_numbers))
    )
    head.append(("ProcessingStatus", order.status))
    head.append(errors_xml(order))
    if order.kind == IMPORT and not created:
        head.append(("SipPeerId", order.sip_peer_id))  # last, after Errors (captured GET)
    return _xml.element(tag, *head)


def summary_list(orders_: list[Order], account_id: str, kind: str) -> etree._Element:
    tag, _, summary, order_type = _KIND_ROOTS[kind]
    newest_first = sorted(orders_, key=lambda o: o.created, reverse=True)
    return _xml.element(
        tag + "s",
        ("TotalCount", len(newest_first)),
        *(
            _xml.element(
                summary,
                ("accountId", account_id),
                ("CountOfTNs", len(o.telephone_numbers)),
                ("CustomerOrderId", o.customer_order_id),
                ("userId", o.created_by),
                ("lastModifiedDate", iso_millis(o.last_modified)),
                ("OrderDate", iso_millis(o.created)),
                ("OrderType", order_type),
                ("OrderStatus", o.status),
                ("OrderId", o.order_id),
            )
            for o in newest_first
        ),
    )


# -- create ----------------------------------------------------------------------------------


def _read_import(node: etree._Element, order: Order) -> list[tuple[int, str]]:
    errors: list[tuple[int, str]] = []
    order.site_id = _xml.child_text(node, "SiteId")
    if not order.site_id or not order.site_id.isdigit():
        errors.append((7309, "The site id was not supplied or is invalid."))
    order.sip_peer_id = _xml.child_text(node, "SipPeerId")
    if order.sip_peer_id is not None and not order.sip_peer_id.isdigit():
        errors.append((7312, "The sippeer id is invalid."))
    subscriber = _xml.find(node, "Subscriber")
    order.subscriber_name = _xml.child_text(subscriber, "Name")
    if not order.subscriber_name:
        errors.append((1003, "Subscriber Name is required"))
    elif len(order.subscriber_name) > 45:
        errors.append((1011, "Subscriber Name is too long (max 45 characters)"))
    address = None if subscriber is None else _xml.find(subscriber, "ServiceAddress")
    order.service_address = {
        child.tag: (child.text or "").strip()
        for child in (address if address is not None else [])
        if isinstance(child.tag, str)
    }
    for name in _ADDRESS_REQUIRED:
        if not order.service_address.get(name):
            errors.append((1003, f"ServiceAddress {name} is required"))
    order.loa_authorizing_person = _xml.child_text(node, "LoaAuthorizingPerson")
    if not order.loa_authorizing_person:
        errors.append((1003, "LoaAuthorizingPerson is required"))
    order.loa_type = _xml.child_text(node, "LoaType")
    if order.loa_type not in (None, "SUBSCRIBER", "CARRIER"):
        errors.append((1006, f"LoaType {order.loa_type} is invalid; use SUBSCRIBER or CARRIER"))
    return errors


def _create(ctx: Context, request: Request, account_id: str, kind: str) -> Response:
    tag, response_root, _, _ = _KIND_ROOTS[kind]
    try:
        root = parse_xml(request)
    except BadXml as exc:
        return flat_errors(
            response_root, [(1003, f"{tag} is required: {exc}")], processing_status="FAILED"
        )
    node = _xml.find(root, tag)
    if node is None:
        return flat_errors(
            response_root, [(1003, f"{tag} is required")], processing_status="FAILED"
        )
    moment = now()
    order = Order(
        order_id=new_uuid(),
        kind=kind,
        created=moment,
        last_modified=moment,
        created_by=ctx.store.accounts.username,
        telephone_numbers=[],
        status="",
        customer_order_id=_xml.child_text(node, "CustomerOrderId"),
    )
    errors: list[tuple[int, str]] = []
    if order.customer_order_id and not _CUSTOMER_ORDER_ID.match(order.customer_order_id):
        errors.append(
            (1011, "CustomerOrderId allows at most 40 letters, digits, dashes and spaces")
        )
    if kind == IMPORT:
        errors += _read_import(node, order)
    order.telephone_numbers, tn_errors = read_numbers(node)
    errors += tn_errors
    if not order.telephone_numbers and not tn_errors:
        errors.append((1003, "TelephoneNumbers is required"))
    if errors:
        return flat_errors(response_root, errors, processing_status="FAILED")
    seconds = ctx.store.processing_seconds
    with ctx.store.write() as world:
        orders.create(world, order, seconds)
        shown = copy.deepcopy(order)
        if seconds == 0:
            # Immediate progression: the 201 still shows the first status, the next GET the end.
            orders.settle(world, order.order_id, moment)
    collection = "importTnOrders" if kind == IMPORT else "removeImportedTnOrders"
    body = _xml.element(response_root, order_xml(shown, account_id, created=True))
    return xml_response(
        body, 201, {"Location": location(request, account_id, collection, order.order_id)}
    )


def create_import(ctx: Context, request: Request, account_id: str) -> Response:
    return _create(ctx, request, account_id, IMPORT)


def create_removal(ctx: Context, request: Request, account_id: str) -> Response:
    return _create(ctx, request, account_id, REMOVE)


# -- read ------------------------------------------------------------------------------------


def lookup(ctx: Context, kind: str, order_id: str) -> Order | Response:
    if not is_uuid(order_id):
        return status_error(_REPORT_ROOTS[kind], 400, 1008, f"'{order_id}' is not a valid UUID")
    with ctx.store.read() as world:
        order = world.orders.get(order_id)
        found = copy.deepcopy(order) if order is not None and order.kind == kind else None
    if found is None:
        # Unknown well-formed ids: unverified; the externalTns 404 shape (API doc 1.5 shape 2).
        return status_error(_REPORT_ROOTS[kind], 404, None, "The resource does not exist")
    return found


def _get(ctx: Context, account_id: str, order_id: str, kind: str) -> Response:
    order = lookup(ctx, kind, order_id)
    if isinstance(order, Response):
        return order
    return xml_response(order_xml(order, account_id, created=False))


def get_import(ctx: Context, request: Request, account_id: str, order_id: str) -> Response:
    return _get(ctx, account_id, order_id, IMPORT)


def get_removal(ctx: Context, request: Request, account_id: str, order_id: str) -> Response:
    return _get(ctx, account_id, order_id, REMOVE)


def _list(ctx: Context, request: Request, account_id: str, kind: str) -> Response:
    args = {k.lower(): request.args.getlist(k) for k in request.args}
    customer = next(iter(args.get("customerorderid", [])), None)
    tn = next(iter(args.get("tn", [])), None)
    statuses = {s.upper() for value in args.get("status", []) for s in value.split(",") if s}
    with ctx.store.read() as world:
        found = [
            copy.deepcopy(o)
            for o in world.orders.values()
            if o.kind == kind
            and (customer is None or o.customer_order_id == customer)
            and (tn is None or tn in o.telephone_numbers)
            and (not statuses or o.status in statuses)
        ]
    # An empty result is 200 with TotalCount 0 (unverified, API doc 4.2 "probably").
    return xml_response(summary_list(found, account_id, kind))


def list_imports(ctx: Context, request: Request, account_id: str) -> Response:
    return _list(ctx, request, account_id, IMPORT)


def list_removals(ctx: Context, request: Request, account_id: str) -> Response:
    return _list(ctx, request, account_id, REMOVE)


def _history(ctx: Context, order_id: str, kind: str) -> Response:
    order = lookup(ctx, kind, order_id)
    if isinstance(order, Response):
        return order
    # Lowercase statuses and received/failed notes as captured (API doc 4.4).
    body = _xml.element(
        "OrderHistoryWrapper",
        *(
            _xml.element(
                "OrderHistory",
                ("OrderDate", iso_millis(h.at)),
                ("Note", h.note),
                ("Author", h.author),
                ("Status", h.status.lower()),
            )
            for h in order.history
        ),
    )
    return xml_response(body)


def import_history(ctx: Context, request: Request, account_id: str, order_id: str) -> Response:
    return _history(ctx, order_id, IMPORT)


def removal_history(ctx: Context, request: Request, account_id: str, order_id: str) -> Response:
    return _history(ctx, order_id, REMOVE)


_A = "/accounts/<account_id>"
RULES = [
    Rule(f"{_A}/importTnChecker", endpoint="dashboard.checker", methods=["POST"]),
    Rule(f"{_A}/importTnOrders", endpoint="dashboard.imports.create", methods=["POST"]),
    Rule(f"{_A}/importTnOrders", endpoint="dashboard.imports.list", methods=["GET"]),
    Rule(f"{_A}/importTnOrders/<order_id>", endpoint="dashboard.imports.get", methods=["GET"]),
    Rule(
        f"{_A}/importTnOrders/<order_id>/history",
        endpoint="dashboard.imports.history",
        methods=["GET"],
    ),
    Rule(f"{_A}/removeImportedTnOrders", endpoint="dashboard.removals.create", methods=["POST"]),
    Rule(f"{_A}/removeImportedTnOrders", endpoint="dashboard.removals.list", methods=["GET"]),
    Rule(
        f"{_A}/removeImportedTnOrders/<order_id>",
        endpoint="dashboard.removals.get",
        methods=["GET"],
    ),
    Rule(
        f"{_A}/removeImportedTnOrders/<order_id>/history",
        endpoint="dashboard.removals.history",
        methods=["GET"],
    ),
]

HANDLERS: dict[str, Any] = {
    "dashboard.checker": check,
    "dashboard.imports.create": create_import,
    "dashboard.imports.list": list_imports,
    "dashboard.imports.get": get_import,
    "dashboard.imports.history": import_history,
    "dashboard.removals.create": create_removal,
    "dashboard.removals.list": list_removals,
    "dashboard.removals.get": get_removal,
    "dashboard.removals.history": removal_history,
}
